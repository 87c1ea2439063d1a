"""Articles know their language, and one that is not English is not extracted.

The rows stored before are taken to be English when the column is added (a constant default:
PostgreSQL adds the column without rewriting the table), then the start of each text is read
and only the rows found to be in another language, or too short to tell, are written. Those in
another language are marked pending: the sweep queues them after the extraction timeout, and
the extraction, which takes nothing from a text that is not English, clears the statements it
once made of them that no editor has touched, and marks them "English only".
"""

from django.db import migrations, models
from django.db.models.functions import Substr
from django.utils import timezone

from factcheck.extract.language import ENGLISH, SAMPLE_CHARS, detect_language, is_supported

CHUNK = 500


def detect_stored_languages(apps, schema_editor):
    Article = apps.get_model("factcheck", "Article")
    found: dict[str, list[int]] = {}
    rows = (Article.objects.order_by().annotate(head=Substr("text", 1, SAMPLE_CHARS))
            .values_list("pk", "head").iterator(chunk_size=CHUNK))
    for pk, head in rows:
        code = detect_language(head)
        if code != ENGLISH:
            found.setdefault(code, []).append(pk)
    now = timezone.now()
    for code, pks in found.items():
        fields = {"language": code}
        if not is_supported(code):
            fields.update(extraction_status="pending", extraction_error="", extraction_changed_at=now)
        for i in range(0, len(pks), CHUNK):
            Article.objects.filter(pk__in=pks[i:i + CHUNK]).update(**fields)


class Migration(migrations.Migration):

    dependencies = [
        ('factcheck', '0019_corrections_need_a_second_publisher'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='language',
            field=models.CharField(blank=True, default=ENGLISH, max_length=8),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='article',
            name='language',
            field=models.CharField(blank=True, default='', help_text="The text's language, detected when it is stored: an ISO 639-1 code (ISO 639-3 for a language without one); blank when the text is too short to tell, and then extracted as English.", max_length=8),
        ),
        migrations.AlterField(
            model_name='article',
            name='extraction_status',
            field=models.CharField(choices=[('pending', 'Waiting'), ('running', 'Extracting'), ('done', 'Done'), ('failed', 'Failed'), ('skipped', 'English only')], db_index=True, default='pending', max_length=10),
        ),
        migrations.RunPython(detect_stored_languages, migrations.RunPython.noop, elidable=True),
    ]
