"""Desk HTML validates: htmx attributes are written data-hx-* (htmx reads both), since the
Nu HTML checker counted every bare hx-* attribute as an error (70 on the desk pages)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from factcheck.factchecks import actions as factchecks
from factcheck.models import IngestBatch, Speaker

pytestmark = pytest.mark.django_db


class AttributeNames(HTMLParser):
    def __init__(self):
        super().__init__()
        self.invalid, self.htmx = [], 0

    def handle_starttag(self, tag, attrs):
        for name, _ in attrs:
            if name.startswith("hx-"):
                self.invalid.append(f"<{tag} {name}>")
            self.htmx += name.startswith("data-hx-")


def test_desk_pages_carry_htmx_attributes_as_data_hx(client, editor, make_statement):
    statement = make_statement(speaker=Speaker.objects.create(name="Ada Vance"), mention="she")
    factcheck = factchecks.start_factcheck(statement=statement, by=editor)
    batch = IngestBatch.objects.create(name="feeds.jsonl", lines="", created_by=editor)
    client.force_login(editor)
    pages = [reverse("queue"), statement.get_absolute_url(), reverse("article", args=[statement.article_id]),
             reverse("factcheck_edit", args=[factcheck.pk]), reverse("article_new"),
             reverse("ingest_batch", args=[batch.pk])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        names = AttributeNames()
        names.feed(response.content.decode())
        assert not names.invalid, f"{url}: {names.invalid[:5]}"
        assert names.htmx, f"{url} has no htmx attributes at all"
