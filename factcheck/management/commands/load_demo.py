from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from factcheck import demo as demo_package
from factcheck.demo import DEMO_ARTICLES, DEMO_USERS
from factcheck.factchecks import actions as factchecks
from factcheck.models import Article, AttributionVerdict, Evidence, FactCheck, Outlet, Rating, Statement
from factcheck.review import actions as review
from factcheck.review import notifications, sources
from factcheck.statements.alignment import read_source
from factcheck.statements.extraction import run_extraction

DEMO_TRANSCRIPT = Path(demo_package.__file__).parent / "council-meeting-transcript.vtt"
DEMO_FACTCHECK_SLUG = "demo-did-the-city-s-tram-budget-fall-by-48-per-cent"
DEMO_EXPLANATION = """*This is a demonstration fact-check about fictional people and places, created
by `manage.py load_demo`.*

Mayor Okonkwo told councillors that the city's tram budget had been cut by 48 per cent since
2019. The city's published budgets (fictional) show tram operating spending of 310 million
crowns in 2019 and 205 million in 2025: a fall of 34 per cent, not 48.

The ministry's figure of a 6 per cent rise refers to national grants only, which make up
about a fifth of the tram budget, so both sides describe part of the picture.

We asked the mayor's office how the 48 per cent was calculated; it had not replied when
this was published."""


class Command(BaseCommand):
    help = ("Create the demo users and load the demo articles, extracting their quotes and "
            "claims in-process. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true",
                            help="Run even with DEBUG off (demo users have known passwords).")

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusing to create demo users with known passwords while DEBUG "
                               "is off; pass --allow-production if this really is a demo site.")
        User = get_user_model()
        for username, group, is_staff, password in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username,
                                                 defaults={"email": f"{username}@example.org"})
            user.is_staff = user.is_superuser = is_staff
            user.is_active = True
            user.set_password(password)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            # The demo's own workflow notifies them; mailed, those would fill `make run`'s
            # output before the logins. Each can switch e-mail on in the inbox.
            notifications.set_email(user=user, enabled=False)

        for demo in DEMO_ARTICLES:
            outlet, _ = Outlet.objects.get_or_create(name=demo.outlet,
                                                     defaults={"domain": demo.outlet_domain})
            article, created = Article.objects.ingest(
                text=demo.text, url=demo.url, title=demo.title, byline=demo.byline,
                outlet=outlet, published_at=demo.published_at, source=Article.Source.DEMO)
            if created or article.extraction_status != Article.Extraction.DONE:
                count = run_extraction(article)
                self.stdout.write(f"  {article.title[:70]}: {count} statements")
            else:
                self.stdout.write(f"  {article.title[:70]}: already loaded")

        self._publish_demo_factcheck()
        self.stdout.write(self.style.SUCCESS("Demo loaded. Log in as:"))
        for username, group, _is_staff, password in DEMO_USERS:
            self.stdout.write(f"  {username:10} / {password:20} ({group or 'admin, staff'})")

    def _publish_demo_factcheck(self):
        """One clearly labelled demo fact-check, taken through the real workflow, so a
        newcomer sees a public page at once."""
        if FactCheck.objects.filter(slug=DEMO_FACTCHECK_SLUG).exists():
            return
        User = get_user_model()
        editor, publisher = User.objects.get(username="editor"), User.objects.get(username="publisher")
        statement = Statement.objects.filter(text__contains="cut by 48 per cent").order_by("pk").first()
        if statement is None:
            self.stderr.write("  (demo fact-check skipped: its statement was not extracted)")
            return
        if statement.status == Statement.Status.NEW:
            review.assign(statement=statement, by=editor)
        factcheck = factchecks.start_factcheck(statement=statement, by=editor)
        FactCheck.objects.filter(pk=factcheck.pk).update(slug=DEMO_FACTCHECK_SLUG)
        factcheck.refresh_from_db()
        factchecks.save_factcheck(
            factcheck=factcheck, by=editor, version=factcheck.version,
            claim_reviewed="Harbour City's tram budget was cut by 48% since 2019",
            headline="DEMO: Did Harbour City's tram budget fall by 48 per cent?",
            explanation=DEMO_EXPLANATION,
            attribution_verdict=AttributionVerdict.objects.get(slug="accurate"),
            rating=Rating.objects.get(scale__is_default=True, slug="mostly-false"))
        Evidence.objects.create(factcheck=factcheck, url="https://harbour-city.example/budget/2025",
                                title="City budget 2025 (fictional)", publisher="Harbour City council",
                                kind=Evidence.Kind.PRIMARY, quote="Tram operations: 205m crowns",
                                added_by=editor)
        self._attach_demo_transcript(statement, editor)
        factchecks.submit_factcheck(factcheck=factcheck, by=editor)
        factchecks.approve(factcheck=factcheck, by=publisher)
        factchecks.publish(factcheck=factcheck, by=publisher)
        self.stdout.write(f"  demo fact-check published at /fact-checks/{DEMO_FACTCHECK_SLUG}/")

    def _attach_demo_transcript(self, statement, editor):
        """The meeting's subtitles as the quote's primary source: the mayor's own words, which
        the article reports in other words, as an editor would line them up and decide."""
        raw = DEMO_TRANSCRIPT.read_bytes()
        primary = sources.attach_primary_source(
            statement=statement, by=editor, source=read_source(raw, DEMO_TRANSCRIPT.name), raw=raw,
            title="Harbour City council meeting, Monday: subtitles (fictional)",
            filename=DEMO_TRANSCRIPT.name)
        sources.decide_alignment(primary=primary, by=editor, decision=primary.proposed,
                                 version=primary.version)
