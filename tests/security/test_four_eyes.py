"""Four eyes without gaps, drafts that do not leak, and statements only their editor changes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from factcheck.factchecks import actions as factchecks
from factcheck.models import AttributionVerdict, FactCheck, Rating
from factcheck.review import actions

pytestmark = pytest.mark.django_db


def _complete_draft(statement, editor):
    fc = factchecks.start_factcheck(statement=statement, by=editor)
    return factchecks.save_factcheck(factcheck=fc, by=editor, version=fc.version, explanation="Checked.",
                                     attribution_verdict=AttributionVerdict.objects.get(slug="accurate"),
                                     rating=Rating.objects.get(slug="false"))


@pytest.mark.parametrize("contribution", ["source", "reply", "statement"])
def test_a_publisher_who_shaped_a_draft_cannot_approve_it(editor, publisher, make_statement, make_user,
                                                          contribution):
    """The probe's publisher added a source and a reply to an editor's draft, then approved
    and published it alone."""
    statement = make_statement()
    fc = _complete_draft(statement, editor)
    if contribution == "source":
        factchecks.add_evidence(factcheck=fc, by=publisher, url="https://example.org/a", title="A")
    elif contribution == "reply":
        factchecks.log_reply(factcheck=fc, by=publisher, contact="Vance's office", method="email",
                             contacted_at=timezone.now())
    else:
        statement.refresh_from_db()
        actions.update_statement(statement=statement, by=publisher, version=statement.version,
                                 kind="indirect")
    factchecks.submit_factcheck(factcheck=fc, by=editor,
                                no_sources_reason="The claim is checked against its own recording.")
    with pytest.raises(PermissionDenied):
        factchecks.approve(factcheck=fc, by=publisher)
    factchecks.approve(factcheck=fc, by=make_user("pub2", "Publisher"))  # a second person may


def test_a_publisher_cannot_correct_a_published_fact_check_alone(publish_factcheck, make_statement,
                                                                 publisher, make_user):
    """The probe's publisher who wrote a fact-check changed its published rating alone."""
    writer = make_user("writing-publisher", "Publisher")
    fc = publish_factcheck(make_statement(), claim="Vance says repairs cost 40 million",
                           approver=make_user("pub2", "Publisher"))
    fc.authors.add(writer)
    proposal = factchecks.propose_correction(factcheck=fc, by=writer, note="Rating changed.",
                                             rating=Rating.objects.get(slug="true"))
    with pytest.raises(PermissionDenied):
        factchecks.publish_correction(proposal=proposal, by=writer)
    fc.refresh_from_db()
    assert fc.rating.slug == "false" and not fc.corrections.exists()
    factchecks.publish_correction(proposal=proposal, by=publisher)
    fc.refresh_from_db()
    assert fc.rating.slug == "true" and fc.corrections.get().approved_by == publisher


def test_a_draft_answers_conditional_requests_as_if_it_did_not_exist(client, editor, make_statement):
    fc = factchecks.start_factcheck(statement=make_statement(), by=editor)
    url = reverse("factcheck", args=[fc.slug])
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 404
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"fc-{fc.pk}-{fc.version}-draft"').status_code == 404
    assert client.get(reverse("factcheck", args=["no-such-check"]), HTTP_IF_NONE_MATCH="*").status_code == 404


def test_a_public_etag_names_no_id_version_or_status(client, publish_factcheck, make_statement):
    fc = publish_factcheck(make_statement(), claim="Vance says repairs cost 40 million")
    response = client.get(fc.get_absolute_url())
    etag = response["ETag"]
    assert str(fc.pk) not in etag.split("-") and "published" not in etag and "fc-" not in etag
    assert client.get(fc.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_tags_of_a_statement_another_editor_holds_are_theirs(client, editor, make_user, make_statement):
    """Every other field refused another editor with 403; tags did not."""
    statement = make_statement()
    actions.assign(statement=statement, by=editor)
    client.force_login(make_user("other", "Editor"))
    response = client.post(reverse("statement_tags", args=[statement.pk]), {"tags": "Bridges"})
    assert response.status_code == 403
    assert not statement.tags.exists()


def test_a_source_must_be_a_web_address(client, editor, make_statement):
    fc = factchecks.start_factcheck(statement=make_statement(), by=editor)
    client.force_login(editor)
    response = client.post(reverse("evidence_add", args=[fc.pk]),
                           {"url": "ftp://files.example.org/report.pdf", "title": "Report",
                            "kind": "primary"})
    assert response.status_code == 422
    assert not FactCheck.objects.get(pk=fc.pk).evidence.exists()
