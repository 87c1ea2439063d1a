from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from factcheck.models import FactCheck, Speaker, Tag


class SiteURLSitemap(Sitemap):
    """Locations under SITE_URL, as the canonical links and the ClaimReview have them, never
    under whatever host the request named."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return settings.SITE_URL.split("://", 1)[1]


class FactCheckSitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return FactCheck.objects.for_public_list()

    def lastmod(self, item):
        return item.updated_at


class SpeakerSitemap(SiteURLSitemap):
    """Only speakers with something published: the sitemap must not reveal who is checked."""

    changefreq = "weekly"

    def items(self):
        return Speaker.objects.filter(statements__factchecks__status="published").distinct() \
            .order_by("slug")

    def location(self, item):
        return reverse("speaker", args=[item.slug])


class TagSitemap(SiteURLSitemap):
    def items(self):
        return Tag.objects.filter(factchecks__status="published").distinct().order_by("slug")

    def location(self, item):
        return reverse("tag", args=[item.slug])


class StaticSitemap(SiteURLSitemap):
    def items(self):
        return ["factcheck_index", "methodology", "corrections"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"fact-checks": FactCheckSitemap, "speakers": SpeakerSitemap, "tags": TagSitemap,
            "pages": StaticSitemap}
