"""The public site as crawlers, caches and feed readers meet it (issue #31's small defects)."""

from urllib.robotparser import RobotFileParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_robots_txt_allows_the_public_site_and_names_the_sitemap(client, settings):
    settings.SITE_URL = "https://checks.example"
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: https://checks.example/sitemap.xml" in text.splitlines()
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    for public in ("/fact-checks/", "/fact-checks/some-check/", "/speakers/ada-vance/", "/methodology/",
                   "/corrections/", "/feeds/fact-checks.rss", "/sitemap.xml", "/claimreview.json"):
        assert robots.can_fetch("*", public), public
    for desk in (reverse("queue"), reverse("login"), reverse("approvals"), reverse("search"),
                 reverse("article", args=[1]), reverse("factcheck_edit", args=[1]), "/admin/",
                 reverse("api_articles"), reverse("statement", args=[1]), reverse("speaker_options")):
        assert not robots.can_fetch("*", desk), desk
