# As in English (config/formats/en/formats.py): the weekday, 24-hour time, and the same
# without the year in the *_DAY_* names.
DATE_FORMAT = "Y年n月j日(D)"  # 2026年12月14日(月)
TIME_FORMAT = "G:i"  # 18:00
DATETIME_FORMAT = "Y年n月j日(D) G:i"  # 2026年12月14日(月) 18:00
DAY_FORMAT = "n月j日(D)"  # 12月14日(月)
DAY_TIME_FORMAT = "n月j日(D) G:i"  # 12月14日(月) 18:00
SHORT_DAY_FORMAT = "n/j(D)"  # 12/14(月)
