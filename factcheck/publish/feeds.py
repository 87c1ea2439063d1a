"""RSS and Atom feeds of published fact-checks, through Django's syndication framework.

A correction bumps the item's updated date and appears in its description, so feed readers
see the change.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from factcheck.models import FactCheck


class FactChecksFeed(Feed):
    description_template = "public/feed_item.html"

    def title(self):
        return f"{settings.ORG_NAME}: fact-checks"

    def link(self):
        return reverse("factcheck_index")

    def description(self):
        return "The latest fact-checks and their corrections."

    def items(self):
        return FactCheck.objects.for_public_list().prefetch_related("corrections")[:50]

    def item_title(self, item):
        verdict = item.rating.label if item.rating else "Unrated"
        return f"{verdict}: {item.claim_reviewed}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["corrections"] = list(kwargs["item"].corrections.all())
        return context


class FactChecksAtomFeed(FactChecksFeed):
    feed_type = Atom1Feed
    subtitle = FactChecksFeed.description
