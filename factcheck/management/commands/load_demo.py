from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from factcheck.demo import DEMO_ARTICLES, DEMO_USERS
from factcheck.ingest.pipeline import run_extraction
from factcheck.models import Article, Outlet


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

        self.stdout.write(self.style.SUCCESS("Demo loaded. Log in as:"))
        for username, group, _is_staff, password in DEMO_USERS:
            self.stdout.write(f"  {username:10} / {password:20} ({group or 'admin, staff'})")
