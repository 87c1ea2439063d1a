"""`manage.py create_api_token USER --name TOOL`: a key for the JSON ingest API, shown once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factcheck.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token acting as USER (who needs the factcheck.add_article permission)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="Which tool will use the token.")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.has_perm("factcheck.add_article"):
            raise CommandError(f"{username} may not add articles (put them in the Editor group).")
        token, key = ApiToken.create_for(user, name[:100])
        self.stdout.write(f"Token {token.pk} for {username} ({token.name}). The key, shown only now:")
        self.stdout.write(key)
