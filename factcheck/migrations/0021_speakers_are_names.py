"""Speakers the extraction made of mentions that are no names ("the official", "he",
"Officials", a headline) are removed, and their statements keep the mention with no speaker.

Only what no person has touched goes: a speaker with an event in the log (created, merged or
given an alias by an editor), a description or a Wikidata id stays, and so does one with a
statement an editor has taken, edited, dismissed or put in a fact-check.
"""

from django.db import migrations
from django.db.models import Q

from factcheck.statements.speakers import is_a_name


def remove_speakers_that_are_no_names(apps, schema_editor):
    Speaker = apps.get_model("factcheck", "Speaker")
    Statement = apps.get_model("factcheck", "Statement")
    ReviewEvent = apps.get_model("factcheck", "ReviewEvent")
    junk = {pk for pk, name in Speaker.objects.values_list("pk", "name") if not is_a_name(name)}
    if not junk:
        return
    junk -= set(ReviewEvent.objects.filter(speaker__in=junk).values_list("speaker", flat=True))
    junk -= set(Speaker.objects.filter(pk__in=junk).filter(~Q(description="") | ~Q(wikidata_qid=""))
                .values_list("pk", flat=True))
    junk -= set(Statement.objects.filter(speaker__in=junk).filter(
        ~Q(status="new") | ~Q(version=1) | Q(factchecks__isnull=False)).values_list("speaker", flat=True))
    Statement.objects.filter(speaker__in=junk).update(speaker=None)
    Speaker.objects.filter(pk__in=junk).delete()  # with their aliases


class Migration(migrations.Migration):

    dependencies = [
        ('factcheck', '0020_article_language'),
    ]

    operations = [
        migrations.RunPython(remove_speakers_that_are_no_names, migrations.RunPython.noop, elidable=True),
    ]
