"""RSS and Atom feeds of published fact-checks, through Django's syndication framework.

A correction bumps the item's updated date and appears in its description, so feed readers
see the change. The description (RSS <description>, Atom <summary type="html">) is HTML that a
reader renders after unescaping the XML once: everything typed by the desk goes into it
escaped, so a claim holding markup shows as text. Titles are plain text in both formats and
are left as typed (the XML writer escapes them once, as it should).
"""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from factcheck.models import FactCheck
from factcheck.publish.claimreview import absolute, appearances_in_order

# Characters XML 1.0 cannot carry at all; text pasted from anywhere may hold them.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return XML_INVALID.sub("", text)


class FactChecksFeed(Feed):
    def title(self):
        return f"{settings.ORG_NAME}: fact-checks"

    # Absolute under SITE_URL, as the canonical links are (the framework would otherwise
    # put the request's host in front of a path).
    def link(self):
        return absolute(reverse("factcheck_index"))

    def feed_url(self):
        return absolute(reverse("feed_rss"))

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def description(self):
        return "The latest fact-checks and their corrections."

    # Atom requires an author for the feed or for every entry (RFC 4287 4.1.1): the
    # organisation publishes them all. RSS leaves it out (its managingEditor wants an email).
    def author_name(self):
        return settings.ORG_NAME

    def author_link(self):
        return settings.SITE_URL + "/"

    def items(self):
        return FactCheck.objects.for_public_list().with_appearances().prefetch_related("corrections")[:50]

    def item_title(self, item):
        """"Rating: headline (speaker)" when the desk wrote a headline, else "Rating: Speaker:
        Claim", so a reader sees whose words were checked, not only the bare claim."""
        verdict = item.rating.label if item.rating else "Unrated"
        speaker = next((s.speaker.name for s in appearances_in_order(item) if s.speaker), "")
        if item.headline:
            title = f"{item.headline} ({speaker})" if speaker else item.headline
        else:
            claim = item.claim_reviewed[:1].upper() + item.claim_reviewed[1:]
            title = f"{speaker}: {claim}" if speaker else claim
        return xml_safe(f"{verdict}: {title}")

    def item_description(self, item):
        """HTML, one paragraph a line; every value escaped (format_html), none trusted."""
        lines = [format_html("Attribution: {}.", item.attribution_verdict) if item.attribution_verdict
                 else "", format_html("Rating: {}.", item.rating or "Unrated"), item.claim_reviewed]
        lines += [format_html("{} ({}): {}", c.get_kind_display(), f"{c.created_at:%d %B %Y}", c.note)
                  for c in item.corrections.all()]
        return xml_safe(format_html_join("\n", "<p>{}</p>", ((line,) for line in lines if line)))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class FactChecksAtomFeed(FactChecksFeed):
    feed_type = Atom1Feed
    subtitle = FactChecksFeed.description

    def feed_url(self):
        return absolute(reverse("feed_atom"))
