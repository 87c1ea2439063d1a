"""Published means settled: every way the desk can touch what a published fact-check shows,
tried as every role, leaves the public outputs exactly as they were; only a correction that
one person proposes and another publisher publishes changes them, on the record.

The outputs compared: the page (with its ClaimReview JSON-LD), the ClaimReview DataFeed, the
RSS and Atom feeds and the corrections log, read with the page cache emptied each time so a
change the cache would hide still shows.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from factcheck.factchecks import actions as factchecks
from factcheck.models import Correction, FactCheck, Rating, Speaker, Statement

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "editor", "author", "approver", "publisher", "admin"]


@pytest.fixture
def world(make_user, make_statement, publish_factcheck, editor, publisher):
    """A fact-check by `editor` (the author), approved and published by `publisher` (the
    approver), of a quote by Ada Vance; another speaker, and the users of every role."""
    vance = Speaker.objects.create(name="Ada Vance")
    other = Speaker.objects.create(name="Bo Lindqvist")
    statement = make_statement(speaker=vance, mention="she")
    factcheck = publish_factcheck(statement, claim="Vance says repairs cost 40 million")
    users = {"reader": make_user("reader"), "editor": make_user("colleague", "Editor"),
             "author": editor, "approver": publisher, "publisher": make_user("pub2", "Publisher"),
             "admin": make_user("root", is_staff=True, is_superuser=True)}
    return {"factcheck": factcheck, "statement": statement, "vance": vance, "other": other,
            "users": users}


def public_outputs(client, factcheck) -> dict[str, bytes]:
    cache.clear()
    client.logout()
    urls = {"page": factcheck.get_absolute_url(), "datafeed": reverse("claimreview_feed"),
            "rss": reverse("feed_rss"), "atom": reverse("feed_atom"), "log": reverse("corrections")}
    outputs = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        outputs[name] = response.content
    return outputs


def _edit_span(w):
    s = Statement.objects.get(pk=w["statement"].pk)  # its version as stored now
    return reverse("statement_edit", args=[s.pk]), {
        "kind": "direct", "start": s.start, "end": s.end - 12, "version": s.version}


def _set_speaker(w):
    s = Statement.objects.get(pk=w["statement"].pk)  # its version as stored now
    return reverse("statement_speaker", args=[s.pk]), {"speaker": w["other"].slug, "version": s.version}


def _new_speaker(w):
    s = Statement.objects.get(pk=w["statement"].pk)  # its version as stored now
    return reverse("statement_new_speaker", args=[s.pk]), {
        "name": "Somebody Else", "kind": "person", "version": s.version}


def _merge_away(w):
    return reverse("speakers_merge"), {"keep": w["other"].slug, "merge": w["vance"].slug}


def _save_draft_fields(w):
    fc = FactCheck.objects.get(pk=w["factcheck"].pk)
    return reverse("factcheck_edit", args=[fc.pk]), {
        "claim_reviewed": "Something else entirely", "explanation": "Rewritten.",
        "attribution_verdict": fc.attribution_verdict_id, "rating": fc.rating_id,
        "version": fc.version}


def _add_source(w):
    return reverse("evidence_add", args=[w["factcheck"].pk]), {
        "url": "https://example.org/new-source", "title": "New", "kind": "primary"}


def _add_reply(w):
    return reverse("reply_add", args=[w["factcheck"].pk]), {
        "contact": "Vance's office", "method": "email", "contacted_at": "2026-11-20T10:00"}


def _propose_correction(w):
    return reverse("correct", args=[w["factcheck"].pk]), {
        "kind": "correction", "note": "The rating was wrong.",
        "rating": Rating.objects.get(slug="half-true").pk}


def _publish_own_proposal(w):
    """Someone proposes, and then tries to publish their own proposal."""
    return "own-proposal", None


def _rename_speaker_in_admin(w):
    v = w["vance"]
    return reverse("admin:factcheck_speaker_change", args=[v.pk]), {
        "kind": v.kind, "name": "Ada Vance-Renamed", "slug": v.slug, "description": "",
        "wikidata_qid": "", "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000"}


def _edit_statement_in_admin(w):
    s = Statement.objects.get(pk=w["statement"].pk)
    return reverse("admin:factcheck_statement_change", args=[s.pk]), {
        "kind": s.kind, "text": "We have spent nothing", "article": s.article_id, "start": s.start,
        "end": s.end, "parts": "[]", "speaker": w["other"].pk, "mention": s.mention, "cue": "",
        "venue": "", "via": "[]", "score": s.score, "status": s.status, "assignee": "",
        "dismissed_reason": "", "appearance_count": 1}


PATHS = [_edit_span, _set_speaker, _new_speaker, _merge_away, _save_draft_fields, _add_source,
         _add_reply, _propose_correction, _publish_own_proposal, _rename_speaker_in_admin,
         _edit_statement_in_admin]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.__name__.strip("_"))
def test_nothing_but_a_published_correction_changes_a_published_fact_check(client, world, path, role):
    factcheck = world["factcheck"]
    before = public_outputs(client, factcheck)
    url, data = path(world)
    user = world["users"].get(role)
    if url == "own-proposal":
        if user is None or not factchecks.may_read(factcheck, user):
            return  # may not propose at all: covered by _propose_correction
        proposal = factchecks.propose_correction(factcheck=factcheck, by=user, note="Mine.",
                                                 rating=Rating.objects.get(slug="true"))
        url = reverse("correction_publish", args=[factcheck.pk, proposal.pk])
        data = {}
    if user is not None:
        client.force_login(user)
    response = client.post(url, data)
    assert response.status_code < 500
    assert public_outputs(client, factcheck) == before, f"{role} changed the public outputs"
    world["statement"].refresh_from_db()
    assert world["statement"].speaker == world["vance"]
    assert Speaker.objects.filter(pk=world["vance"].pk, name="Ada Vance").exists()


def test_a_correction_changes_the_page_once_a_second_publisher_publishes_it(client, world):
    factcheck, users = world["factcheck"], world["users"]
    before = public_outputs(client, factcheck)
    proposal = factchecks.propose_correction(
        factcheck=factcheck, by=users["author"], note="Bo Lindqvist said it, not Ada Vance.",
        speaker=world["other"], rating=Rating.objects.get(slug="half-true"))
    assert public_outputs(client, factcheck) == before
    client.force_login(users["author"])
    assert client.post(reverse("correction_publish", args=[factcheck.pk, proposal.pk])).status_code == 403
    client.force_login(users["publisher"])
    response = client.post(reverse("correction_publish", args=[factcheck.pk, proposal.pk]))
    assert response.status_code == 302
    after = public_outputs(client, factcheck)
    assert b"Bo Lindqvist said it, not Ada Vance." in after["log"]
    assert b"Bo Lindqvist" in after["page"] and b"Half true" in after["page"]
    assert b"Bo Lindqvist" in after["datafeed"]
    correction = Correction.objects.get(factcheck=factcheck)
    assert (correction.created_by, correction.approved_by) == (users["author"], users["publisher"])
    # A repeated click publishes nothing twice.
    client.post(reverse("correction_publish", args=[factcheck.pk, proposal.pk]))
    assert Correction.objects.filter(factcheck=factcheck).count() == 1


def test_merging_into_the_published_speaker_keeps_the_published_name(client, world):
    """The other direction is allowed: the published speaker's name stays on the page."""
    before = public_outputs(client, world["factcheck"])
    client.force_login(world["users"]["editor"])
    response = client.post(reverse("speakers_merge"), {"keep": world["vance"].slug,
                                                       "merge": world["other"].slug})
    assert response.status_code == 302
    assert not Speaker.objects.filter(pk=world["other"].pk).exists()
    assert public_outputs(client, world["factcheck"]) == before


def test_the_admin_shows_a_published_fact_check_read_only(client, world):
    """Staff edit settled content through the correction flow too: the admin's change form of a
    published fact-check (and of a quote it covers) saves nothing."""
    client.force_login(world["users"]["admin"])
    page = client.get(reverse("admin:factcheck_factcheck_change", args=[world["factcheck"].pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    page = client.get(reverse("admin:factcheck_statement_change", args=[world["statement"].pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
