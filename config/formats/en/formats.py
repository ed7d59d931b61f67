# Dates people read: with the weekday (business days matter here), and a clock time with
# minutes. The *_DAY_* names are ours (interviews/dates.py): the same without the year.
DATE_FORMAT = "D, M j, Y"  # Mon, Dec 14, 2026
TIME_FORMAT = "g:i A"  # 6:00 PM
DATETIME_FORMAT = "D, M j, Y, g:i A"  # Mon, Dec 14, 2026, 6:00 PM
DAY_FORMAT = "D, M j"  # Mon, Dec 14
DAY_TIME_FORMAT = "D, M j, g:i A"  # Mon, Dec 14, 6:00 PM
SHORT_DAY_FORMAT = "D M j"  # Mon Dec 14
