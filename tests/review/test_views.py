import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.factchecks import actions as factchecks
from factcheck.models import FactCheck, ReviewEvent, Speaker, Statement
from factcheck.review import actions

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def logged_in(client, editor):
    client.force_login(editor)
    return client


# --------------------------------------------------------------------------- queue


def test_queue_lists_open_items_by_priority(logged_in, make_statement):
    low = make_statement("Critics said the cost had doubled since 2023.", kind="claim", score=0.2)
    high = make_statement(score=0.9)
    page = logged_in.get(reverse("queue")).content.decode()
    assert page.index(high.text) < page.index(low.text)


def test_queue_filters_live_in_the_query_string(logged_in, make_statement):
    make_statement(score=0.9)
    claim = make_statement("Critics said the cost had doubled since 2023.", kind="claim")
    response = logged_in.get(reverse("queue"), {"kind": "claim"})
    assert claim.text.encode() in response.content
    assert b"We have spent 40 million" not in response.content
    partial = logged_in.get(reverse("queue"), {"kind": "claim"}, headers=HX)
    assert b"<html" not in partial.content and claim.text.encode() in partial.content


def test_queue_filters_by_speaker_tag_and_assignee(logged_in, editor, make_statement):
    vance = Speaker.objects.create(name="Ada Vance")
    mine = make_statement(speaker=vance)
    other = make_statement("Critics said the cost had doubled since 2023.", kind="claim")
    actions.set_tags(statement=other, by=editor, names=["Budget"])
    actions.assign(statement=mine, by=editor)
    assert mine.text.encode() in logged_in.get(reverse("queue"), {"speaker": "ada-vance"}).content
    by_tag = logged_in.get(reverse("queue"), {"tag": "budget"}).content
    assert other.text.encode() in by_tag and mine.text.encode() not in by_tag
    by_me = logged_in.get(reverse("queue"), {"assignee": "mine"}).content
    assert mine.text.encode() in by_me and other.text.encode() not in by_me


def test_bad_filter_values_get_a_400_not_a_500(logged_in):
    response = logged_in.get(reverse("queue"), {"min_score": "lots", "since": "yesterday"})
    assert response.status_code == 400
    assert b"not understood" in response.content


def test_queue_pages_with_a_keyset_cursor(logged_in, make_statement):
    for i in range(55):
        make_statement(f"synthetic claim {i}", kind="claim", score=i / 100)
    first = logged_in.get(reverse("queue"))
    assert first.context["page"].next_cursor
    second = logged_in.get(reverse("queue"), {"after": first.context["page"].next_cursor})
    first_ids = {s.pk for s in first.context["page"].items}
    second_ids = {s.pk for s in second.context["page"].items}
    assert len(first_ids) == 50 and len(second_ids) == 5 and not first_ids & second_ids
    # A mangled cursor is ignored rather than an error.
    assert logged_in.get(reverse("queue"), {"after": "garbage"}).status_code == 200


def test_queue_query_count_does_not_grow_with_the_page(logged_in, make_statement):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert logged_in.get(reverse("queue")).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        make_statement(f"small {i}", kind="claim", speaker=Speaker.objects.create(name=f"S{i}"))
    queries()  # the first request also writes the session and fills the counts cache
    small = queries()
    for i in range(60):
        make_statement(f"big {i}", kind="claim", speaker=Speaker.objects.create(name=f"B{i}"))
    assert queries() == small


def test_next_item_assigns_and_opens_it(logged_in, editor, make_statement):
    top = make_statement(score=0.9)
    response = logged_in.post(reverse("next_item"))
    assert response.status_code == 302 and response["Location"] == top.get_absolute_url()
    top.refresh_from_db()
    assert top.assignee == editor
    hx = logged_in.post(reverse("next_item"), headers=HX)
    assert hx["HX-Redirect"] == reverse("queue")  # nothing left


def test_bulk_dismiss(logged_in, make_statement):
    a = make_statement()
    b = make_statement("Critics said the cost had doubled since 2023.", kind="claim")
    response = logged_in.post(reverse("bulk_dismiss"), {"statements": [a.pk, b.pk], "reason": "opinion"})
    assert response.status_code == 302
    assert set(Statement.objects.values_list("status", flat=True)) == {"dismissed"}
    again = logged_in.post(reverse("bulk_dismiss"), {"statements": [a.pk], "reason": "opinion"})
    assert again.status_code == 302
    assert ReviewEvent.objects.filter(action="dismissed").count() == 2


# --------------------------------------------------------------------------- statement page


def test_statement_page_shows_it_in_its_article(logged_in, make_statement):
    statement = make_statement()
    response = logged_in.get(statement.get_absolute_url())
    # Each piece says where it starts in the article, for select-to-fix.
    assert f'<span data-at="{statement.start}"><mark>We have spent 40 million on repairs</mark></span>' \
        .encode() in response.content
    assert b"Bridge to reopen" in response.content
    panel = logged_in.get(statement.get_absolute_url(), headers=HX)
    assert b'id="panel"' in panel.content and b"<html" not in panel.content


@pytest.mark.parametrize("name", ["statement_assign", "statement_release", "statement_dismiss",
                                  "statement_restore", "statement_edit", "statement_speaker",
                                  "statement_new_speaker", "statement_tags", "factcheck_start"])
def test_statement_actions_are_post_only(logged_in, make_statement, name):
    statement = make_statement()
    response = logged_in.get(reverse(name, args=[statement.pk]))
    assert response.status_code == 405
    statement.refresh_from_db()
    assert statement.version == 1 and not ReviewEvent.objects.exists()


def test_take_then_release_normal_and_htmx(logged_in, editor, make_statement):
    statement = make_statement()
    assert logged_in.post(reverse("statement_assign", args=[statement.pk])).status_code == 302
    assert logged_in.post(reverse("statement_assign", args=[statement.pk])).status_code == 302
    assert ReviewEvent.objects.filter(action="assigned").count() == 1  # double click harmless
    hx = logged_in.post(reverse("statement_release", args=[statement.pk]), headers=HX)
    assert hx.status_code == 200 and b"Released" in hx.content and b"Take it" in hx.content


def test_taking_someone_elses_item_is_a_409(logged_in, make_user, make_statement):
    statement = make_statement()
    actions.assign(statement=statement, by=make_user("other", "Editor"))
    response = logged_in.post(reverse("statement_assign", args=[statement.pk]), headers=HX)
    assert response.status_code == 409 and b"Someone else took this item" in response.content


def test_dismiss_without_reason_is_422(logged_in, make_statement):
    statement = make_statement()
    response = logged_in.post(reverse("statement_dismiss", args=[statement.pk]), {"reason": ""},
                              headers=HX)
    assert response.status_code == 422
    statement.refresh_from_db()
    assert statement.status == "new"
    ok = logged_in.post(reverse("statement_dismiss", args=[statement.pk]), {"reason": "opinion"})
    assert ok.status_code == 302
    statement.refresh_from_db()
    assert statement.status == "dismissed"


def test_stale_span_edit_is_a_409_and_keeps_the_editors_input(logged_in, editor, make_statement):
    statement = make_statement()
    stale_version = statement.version
    actions.update_statement(statement=statement, by=editor, version=stale_version, kind="partial")
    start = statement.article.text.find("We have spent")
    response = logged_in.post(reverse("statement_edit", args=[statement.pk]),
                              {"kind": "indirect", "start": start, "end": start + 13,
                               "version": stale_version}, headers=HX)
    assert response.status_code == 409
    assert b"Someone changed this item" in response.content
    assert f'value="{start + 13}"'.encode() in response.content  # their input is kept
    statement.refresh_from_db()
    assert statement.kind == "partial"  # and nothing was overwritten


def test_span_edit_outside_the_article_is_422(logged_in, make_statement):
    statement = make_statement()
    response = logged_in.post(reverse("statement_edit", args=[statement.pk]),
                              {"kind": "direct", "start": 5, "end": 10**6, "version": 1})
    assert response.status_code == 422


def test_fix_speaker_with_existing_and_new(logged_in, make_statement):
    statement = make_statement(mention="Minister Ada Vance")
    vance = Speaker.objects.create(name="Ada Vance")
    options = logged_in.get(reverse("speaker_options"), {"q": "vanc"})
    assert b'value="Ada Vance"' in options.content
    response = logged_in.post(reverse("statement_speaker", args=[statement.pk]),
                              {"speaker": "ada-vance", "version": 1, "add_mention_as_alias": "on"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.speaker == vance and vance.aliases.filter(alias="Minister Ada Vance").exists()
    unknown = logged_in.post(reverse("statement_speaker", args=[statement.pk]),
                             {"speaker": "nobody", "version": statement.version}, headers=HX)
    assert unknown.status_code == 422
    created = logged_in.post(reverse("statement_new_speaker", args=[statement.pk]),
                             {"name": "Bridge Authority", "kind": "organization",
                              "version": statement.version})
    assert created.status_code == 302
    statement.refresh_from_db()
    assert statement.speaker.name == "Bridge Authority"


def test_merge_speakers_page(client, publisher, make_statement):
    client.force_login(publisher)
    keep, dup = Speaker.objects.create(name="Ada Vance"), Speaker.objects.create(name="A. Vance")
    statement = make_statement(speaker=dup)
    assert client.get(reverse("speakers_merge"), {"keep": "ada-vance"}).status_code == 200
    response = client.post(reverse("speakers_merge"), {"keep": "ada-vance", "merge": "a-vance"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.speaker == keep
    same = client.post(reverse("speakers_merge"), {"keep": "ada-vance", "merge": "ada-vance"})
    assert same.status_code == 422


def test_merge_page_completes_names_instead_of_listing_every_speaker(client, publisher):
    Speaker.objects.bulk_create([Speaker(name=f"Speaker {i}", slug=f"speaker-{i}") for i in range(300)])
    Speaker.objects.create(name="Ada Vance")
    client.force_login(publisher)
    page = client.get(reverse("speakers_merge"), {"keep": "ada-vance"}).content.decode()
    assert "speaker-299" not in page and 'value="Ada Vance"' in page
    # htmx sends the typed text under the input's own name.
    options = client.get(reverse("speaker_options"), {"merge": "vanc"}).content.decode()
    assert 'value="Ada Vance"' in options and "speaker-1" not in options


def test_tags(logged_in, make_statement):
    statement = make_statement()
    logged_in.post(reverse("statement_tags", args=[statement.pk]), {"tags": "Bridges, budget, Bridges"})
    assert sorted(statement.tags.values_list("name", flat=True)) == ["Bridges", "budget"]


# --------------------------------------------------------------------------- fact-check editor


@pytest.fixture
def draft(logged_in, make_statement):
    statement = make_statement()
    response = logged_in.post(reverse("factcheck_start", args=[statement.pk]))
    factcheck = FactCheck.objects.get()
    assert response["Location"] == reverse("factcheck_edit", args=[factcheck.pk])
    return factcheck


def _form(factcheck, **overrides):
    from factcheck.models import AttributionVerdict, Rating

    data = {"claim_reviewed": "Vance says repairs cost 40 million", "headline": "",
            "attribution_verdict": AttributionVerdict.objects.get(slug="accurate").pk,
            "rating": Rating.objects.get(slug="half-true").pk,
            "explanation": "The budget shows **38 million**.", "internal_notes": "",
            "version": factcheck.version}
    data.update(overrides)
    return data


def test_factcheck_editor_saves_and_submits(logged_in, draft):
    url = reverse("factcheck_edit", args=[draft.pk])
    assert logged_in.get(url).status_code == 200
    assert logged_in.post(url, _form(draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.rating.slug == "half-true" and draft.version == 2
    submit = logged_in.post(url, _form(draft, submit_for_approval="1",
                                       no_sources_reason="Checked against the recording."))
    assert submit.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    # A submitted fact-check is read-only for its editor.
    assert logged_in.post(url, _form(draft)).status_code == 403


def test_factcheck_stale_save_is_409_with_both_versions_shown(logged_in, editor, draft):
    url = reverse("factcheck_edit", args=[draft.pk])
    mine = _form(draft, explanation="My careful explanation.")
    factchecks.save_factcheck(factcheck=draft, by=editor, version=draft.version,
                           explanation="Their explanation.")
    response = logged_in.post(url, mine)
    assert response.status_code == 409
    body = response.content.decode()
    assert "My careful explanation." in body and "Their explanation." in body
    draft.refresh_from_db()
    assert draft.explanation == "Their explanation."


def test_submit_incomplete_is_422(logged_in, draft):
    response = logged_in.post(reverse("factcheck_submit", args=[draft.pk]))
    assert response.status_code == 422 and b"Before submitting" in response.content


def test_submitting_without_a_source_asks_for_one_or_for_a_reason(logged_in, draft):
    url = reverse("factcheck_edit", args=[draft.pk])
    page = logged_in.get(url).content.decode()
    assert 'name="no_sources_reason"' in page
    response = logged_in.post(url, _form(draft, submit_for_approval="1"))
    assert response.status_code == 422
    assert "add at least one source (or say why it needs none)" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.version == 2  # the text entered is saved
    reason = "We checked the quote against the video of the speech."
    response = logged_in.post(url, _form(draft, submit_for_approval="1", no_sources_reason=reason))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.events.get(action=ReviewEvent.Action.SUBMITTED).note == f"no sources, because {reason}"
    assert reason in logged_in.get(url).content.decode()  # in History, for the publisher too


def test_a_draft_with_a_source_submits_without_a_reason(logged_in, draft):
    logged_in.post(reverse("evidence_add", args=[draft.pk]),
                   {"url": "https://budget.example/2025", "kind": "primary"})
    url = reverse("factcheck_edit", args=[draft.pk])
    assert 'name="no_sources_reason"' not in logged_in.get(url).content.decode()
    assert logged_in.post(url, _form(draft, submit_for_approval="1")).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_evidence_and_replies(logged_in, draft):
    evidence = {"url": "https://budget.example/2025", "title": "City budget 2025",
                "publisher": "City council", "kind": "primary", "quote": "Repairs: 38m"}
    hx = logged_in.post(reverse("evidence_add", args=[draft.pk]), evidence, headers=HX)
    assert hx.status_code == 200 and b"City budget 2025" in hx.content
    logged_in.post(reverse("evidence_add", args=[draft.pk]), evidence)  # double submit
    assert draft.evidence.count() == 1
    bad = logged_in.post(reverse("evidence_add", args=[draft.pk]), {"url": "not a url"})
    assert bad.status_code == 422
    reply = logged_in.post(reverse("reply_add", args=[draft.pk]),
                           {"contact": "Vance's office", "method": "email",
                            "contacted_at": "2026-11-20T10:00"})
    assert reply.status_code == 302
    page = logged_in.get(reverse("factcheck_edit", args=[draft.pk])).content
    assert b"Vance&#x27;s office" in page and b"no reply" in page


def test_other_editor_cannot_see_or_edit_my_draft(client, make_user, draft):
    """A draft is its authors' and the publishers': to another editor it does not exist, on
    the desk page as on the approvals page (one loader decides both)."""
    client.force_login(make_user("other", "Editor"))
    url = reverse("factcheck_edit", args=[draft.pk])
    assert client.post(url, _form(draft)).status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(reverse("approval", args=[draft.pk])).status_code == 404
    assert client.post(reverse("evidence_add", args=[draft.pk]),
                       {"url": "https://example.org/"}).status_code == 404
    assert draft.evidence.count() == 0


def test_history_shows_what_happened_in_words(logged_in, editor, draft):
    """History reads as what people did ("Started a fact-check", "Added a source: <its
    title>", "Remembered an alias: <the mention>"), never as the stored codes."""
    statement = draft.statements.get()
    Statement.objects.filter(pk=statement.pk).update(mention="Minister Ada Vance")
    statement.refresh_from_db()
    vance = Speaker.objects.create(name="Ada Vance")
    actions.set_speaker(statement=statement, by=editor, version=statement.version, speaker=vance,
                        add_mention_as_alias=True)
    logged_in.post(reverse("evidence_add", args=[draft.pk]),
                   {"url": "https://budget.example/2025", "title": "City budget 2025", "kind": "primary"})
    logged_in.post(reverse("evidence_add", args=[draft.pk]),
                   {"url": "https://minutes.example/12", "kind": "primary"})
    for url in (reverse("statement", args=[statement.pk]), reverse("factcheck_edit", args=[draft.pk])):
        page = logged_in.get(url).content.decode()
        assert "Started a fact-check" in page and "factcheck_started" not in page
    page = logged_in.get(reverse("factcheck_edit", args=[draft.pk])).content.decode()
    assert "Added a source: City budget 2025" in page
    assert "Added a source: https://minutes.example/12" in page and "evidence_added" not in page
    page = logged_in.get(reverse("statement", args=[statement.pk])).content.decode()
    assert "Remembered an alias: Minister Ada Vance" in page and "alias_added" not in page


def test_a_submitted_fact_check_is_read_only_to_its_author(logged_in, draft):
    url = reverse("factcheck_edit", args=[draft.pk])
    assert logged_in.post(url, _form(draft, submit_for_approval="1",
                                     no_sources_reason="Checked against the recording.")).status_code == 302
    draft.refresh_from_db()
    assert draft.status == FactCheck.Status.SUBMITTED
    assert logged_in.get(url).status_code == 200
    assert logged_in.post(url, _form(draft)).status_code == 403


def test_queue_search_is_stemmed_on_postgresql(logged_in, make_statement):
    from django.db import connection

    make_statement("Critics said the cost had doubled since 2023.", kind="claim")
    word = "doubling" if connection.vendor == "postgresql" else "doubled"
    assert b"cost had doubled" in logged_in.get(reverse("queue"), {"q": word}).content
    assert b"cost had doubled" not in logged_in.get(reverse("queue"), {"q": "zeppelin"}).content


def test_queue_search_finds_speakers_by_name_and_by_how_the_article_names_them(
        logged_in, make_statement):
    vance = Speaker.objects.create(name="Ada Vance")
    make_statement("The tunnel opens in May.", speaker=vance, mention="she")
    make_statement("Fares stay frozen.", mention="the transport minister")
    make_statement("Nobody asked the drivers.")

    def found(q):
        page = logged_in.get(reverse("queue"), {"q": q}).context["page"]
        return sorted(s.text for s in page.items)

    assert found("vanc") == ["The tunnel opens in May."]  # part of a name
    assert found("minister") == ["Fares stay frozen."]
    assert found("drivers") == ["Nobody asked the drivers."]
    assert found("zeppelin") == []


def test_queue_search_without_full_text_wants_every_word_not_the_phrase(make_statement):
    """The embedded SQLite default searched "Russia troops" as one substring and found nothing
    that /search/ found; now each word must appear, in any order, as on PostgreSQL."""
    from factcheck.review.queue import substring_matches

    vance = Speaker.objects.create(name="Ada Vance")
    wanted = make_statement("We have spent 40 million on repairs", speaker=vance)
    make_statement("Critics said the cost had doubled since 2023.", kind="claim")

    def found(q):
        return list(Statement.objects.filter(substring_matches(q)))

    assert found("repairs million") == [wanted]
    assert found("Vance repairs") == [wanted]  # a word of the speaker's name and one of the quote
    assert found("repairs zeppelin") == []


def test_did_they_say_it_is_asked_only_where_someone_said_it(logged_in, make_statement, editor,
                                                               publish_factcheck):
    """A draft of words with no speaker offers no attribution verdict, submits without one,
    and the public page does not say "the person said this" of an unknown speaker."""
    anonymous = make_statement("Critics said the cost had doubled since 2023.", kind="claim")
    logged_in.post(reverse("factcheck_start", args=[anonymous.pk]))
    draft = FactCheck.objects.get(statements=anonymous)
    page = logged_in.get(reverse("factcheck_edit", args=[draft.pk])).content.decode()
    assert 'name="attribution_verdict"' not in page
    vance = Speaker.objects.create(name="Ada Vance")
    spoken = make_statement(speaker=vance)
    logged_in.post(reverse("factcheck_start", args=[spoken.pk]))
    other = FactCheck.objects.get(statements=spoken)
    page = logged_in.get(reverse("factcheck_edit", args=[other.pk])).content.decode()
    assert 'name="attribution_verdict"' in page
    published = publish_factcheck(make_statement("The work is nearly done."), claim="Nearly done?")
    public = logged_in.get(published.get_absolute_url()).content.decode()
    assert "No speaker is named" in public and "Accurate" not in public


def test_no_attribution_verdict_is_published_beside_an_unknown_speaker(client, editor, publisher,
                                                                        make_statement, publish_factcheck):
    """A verdict reused from an earlier fact-check, or chosen while the words still had a
    speaker, never reaches the public lists ("Attribution: Accurate") beside nobody."""
    from factcheck.models import AttributionVerdict, Rating

    vance = Speaker.objects.create(name="Ada Vance")
    earlier = publish_factcheck(make_statement(speaker=vance), claim="Repairs cost 40 million?")
    assert earlier.attribution_verdict.slug == "accurate"
    anonymous = make_statement("Critics said the cost had doubled since 2023.", kind="claim")
    reused = factchecks.start_factcheck(statement=anonymous, by=editor, reuse=earlier)
    assert reused.attribution_verdict is None and reused.rating == earlier.rating

    statement = make_statement("The work is nearly done.", speaker=vance)
    draft = factchecks.start_factcheck(statement=statement, by=editor)
    factchecks.save_factcheck(factcheck=draft, by=editor, version=draft.version,
                              claim_reviewed="Nearly done?", explanation="It is not.",
                              rating=Rating.objects.get(slug="false"),
                              attribution_verdict=AttributionVerdict.objects.get(slug="accurate"))
    statement.refresh_from_db()
    actions.update_statement(statement=statement, by=editor, version=statement.version, speaker=None)
    assert factchecks.submit_factcheck(factcheck=draft, by=editor, no_sources_reason="Its own recording.")
    factchecks.approve(factcheck=draft, by=publisher)
    factchecks.publish(factcheck=draft, by=publisher)
    draft.refresh_from_db()
    assert draft.attribution_verdict is None
    index = client.get(reverse("factcheck_index")).content.decode()
    assert "Nearly done?" in index and index.count("Attribution: Accurate") == 1  # the earlier one only
    with pytest.raises(ValidationError):
        factchecks.propose_correction(factcheck=draft, by=publisher, note="Attribution added.",
                                      attribution_verdict=AttributionVerdict.objects.get(slug="accurate"))


def test_the_desk_page_shows_what_was_entered_and_a_returned_note(logged_in, draft, make_user):
    url = reverse("factcheck_edit", args=[draft.pk])
    logged_in.post(url, {**_form(draft), "headline": "Repairs did not cost 40 million",
                         "explanation": "The **minutes** say 12 million.", "submit_for_approval": "1",
                         "no_sources_reason": "Checked against the recording."})
    page = logged_in.get(url).content.decode()  # submitted: read-only
    assert "Repairs did not cost 40 million" in page
    assert "<strong>minutes</strong>" in page and "**minutes**" not in page
    draft.refresh_from_db()
    factchecks.return_to_draft(factcheck=draft, by=make_user("pub", "Publisher"), note="Cite the minutes.")
    page = logged_in.get(url).content.decode()
    assert 'id="returned"' in page and "Cite the minutes." in page


def test_the_speaker_box_shows_and_takes_the_speakers_name(logged_in, make_statement):
    """"Fix the speaker" was pre-filled with the slug ("ada-vance"), and wanted one back."""
    vance = Speaker.objects.create(name="Ada Vance")
    statement = make_statement(speaker=vance, mention="she")
    page = logged_in.get(reverse("statement", args=[statement.pk])).content.decode()
    assert re.search(r'id="id_speaker"[^>]*value="Ada Vance"', page)
    assert 'value="ada-vance"' not in page
    tarnek = Speaker.objects.create(name="Miroslav Tarnek")
    response = logged_in.post(reverse("statement_speaker", args=[statement.pk]),
                              {"speaker": "miroslav tarnek", "version": statement.version})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.speaker == tarnek
    Speaker.objects.create(name="Ada Vance", slug="ada-vance-2")  # a namesake
    twice = logged_in.post(reverse("statement_speaker", args=[statement.pk]),
                           {"speaker": "Ada Vance", "version": statement.version}, headers=HX)
    assert twice.status_code == 422 and "More than one speaker is called" in twice.content.decode()
    options = logged_in.get(reverse("speaker_options"), {"q": "vance"}).content.decode()
    assert 'value="ada-vance"' in options and 'value="ada-vance-2"' in options


def test_no_empty_alias_is_offered_for_an_item_without_a_mention(logged_in, make_statement):
    without = make_statement("Critics said the cost had doubled since 2023.", kind="claim")
    with_one = make_statement(mention="she")
    assert "as an alias" not in logged_in.get(reverse("statement", args=[without.pk])).content.decode()
    page = logged_in.get(reverse("statement", args=[with_one.pk])).content.decode()
    assert "Remember “she” as an alias" in page


def test_the_e_shortcut_never_starts_a_fact_check_on_an_item_nobody_took(logged_in, make_statement):
    """'e' was described as "edit" and started a fact-check on an untaken statement."""
    statement = make_statement()
    url = reverse("statement", args=[statement.pk])
    assert 'data-shortcut="e"' not in logged_in.get(url).content.decode()
    logged_in.post(reverse("statement_assign", args=[statement.pk]))
    assert 'data-shortcut="e"' in logged_in.get(url).content.decode()
