# The findings search: one-character words through an index too.
#
# A one-character word (税, 株) had no index to serve it: a rare one read every finding
# (74 ms at 200k findings). Each finding's two-character pieces become its one- and
# two-character pieces ("grams"); the GIN index on them follows the renamed column.

from django.db import migrations, models


def _grams(text):
    # As interviews.text_search.grams at the time of this migration.
    pieces = set()
    for word in text.split():
        pieces.update(word)
        pieces.update(word[i : i + 2] for i in range(len(word) - 1))
    return " ".join(sorted(pieces))


def fill_grams(apps, schema_editor):
    Finding = apps.get_model("interviews", "Finding")
    batch = []
    for finding in Finding.objects.only("pk", "search_text").iterator(chunk_size=2000):
        finding.search_grams = _grams(finding.search_text)
        batch.append(finding)
        if len(batch) == 2000:
            Finding.objects.bulk_update(batch, ["search_grams"])
            batch = []
    if batch:
        Finding.objects.bulk_update(batch, ["search_grams"])


def _rename_index(old, new):
    def rename(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER INDEX IF EXISTS {old} RENAME TO {new}")

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0012_sweep_indexes_break_ties_by_id"),
    ]

    operations = [
        migrations.RenameField(
            model_name="finding", old_name="search_bigrams", new_name="search_grams"
        ),
        migrations.AlterField(
            model_name="finding",
            name="search_grams",
            field=models.TextField(default="", editable=False, verbose_name="search grams"),
        ),
        migrations.RunPython(
            _rename_index("finding_search_bigram_idx", "finding_search_gram_idx"),
            _rename_index("finding_search_gram_idx", "finding_search_bigram_idx"),
        ),
        # Backwards, the grams still answer every two-character word: nothing to undo.
        migrations.RunPython(fill_grams, migrations.RunPython.noop),
    ]
