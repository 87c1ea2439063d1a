"""Notes with @mentions, the inbox and its header count, e-mail, and saved views (#30)."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.factchecks import actions as factchecks
from factcheck.models import Note, Notification, SavedView, Speaker, Tag
from factcheck.review import actions, notes

pytestmark = pytest.mark.django_db
OTHER = "Critics said the cost had doubled since 2023."
SECRET = "DESK-ONLY 7f3a: the minister's office is stonewalling us"


@pytest.fixture
def ann(make_user):
    return make_user("ann", "Editor", email="ann@desk.example")


# --------------------------------------------------------------------------- notes


def test_a_note_mentioning_a_colleague_reaches_their_inbox(client, editor, ann, make_statement):
    item = make_statement()
    client.force_login(editor)
    response = client.post(reverse("statement_note", args=[item.pk]),
                           {"body": "@ann can you call the ministry? And @nobody."}, follow=True)
    page = response.content.decode()
    assert "can you call the ministry?" in page
    assert "Nobody was told for @nobody" in page
    told = Notification.objects.get(recipient=ann)
    assert (told.kind, told.statement, told.actor) == ("mentioned", item, editor)
    assert "call the ministry" in told.text
    client.force_login(ann)
    inbox = client.get(reverse("inbox")).content.decode()
    assert "ed mentioned you in a note" in inbox
    assert 'aria-label="1 unread"' in inbox


def test_a_note_is_escaped_not_markup(client, editor, make_statement):
    item = make_statement()
    client.force_login(editor)
    client.post(reverse("statement_note", args=[item.pk]), {"body": '<script>alert(1)</script> <b>x</b>'})
    page = client.get(item.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001, "null\x00byte"])
def test_an_empty_huge_or_binary_note_is_a_422(client, editor, make_statement, body):
    item = make_statement()
    client.force_login(editor)
    response = client.post(reverse("statement_note", args=[item.pk]), {"body": body})
    assert response.status_code == 422
    assert not Note.objects.exists()


def test_a_double_submitted_note_is_stored_once(editor, ann, make_statement):
    item = make_statement()
    first, _ = notes.add_note(by=editor, body="@ann please look", statement=item)
    again, _ = notes.add_note(by=editor, body="@ann please look", statement=item)
    assert first == again and Note.objects.count() == 1 and Notification.objects.count() == 1


def test_a_mention_never_opens_a_fact_check_to_someone_who_may_not_read_it(editor, ann, publisher,
                                                                            make_statement):
    draft = factchecks.start_factcheck(statement=make_statement(), by=editor)
    _, unknown = notes.add_note(by=editor, body="@ann and @pub, is this sourced enough?", factcheck=draft)
    assert unknown == ["ann"]  # not an author of this draft: it would be a 404 for her
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["pub"]


def test_the_approval_page_shows_the_fact_checks_notes(client, editor, publisher, make_statement):
    draft = factchecks.start_factcheck(statement=make_statement(), by=editor)
    client.force_login(editor)
    response = client.post(reverse("factcheck_note", args=[draft.pk]), {"body": "Second source pending"})
    assert response.status_code == 302 and response["Location"].endswith("#notes")
    client.force_login(publisher)
    assert "Second source pending" in client.get(reverse("approval", args=[draft.pk])).content.decode()
    back = client.post(reverse("factcheck_note", args=[draft.pk]),
                       {"body": "Fine by me", "next": reverse("approval", args=[draft.pk])})
    assert back["Location"] == reverse("approval", args=[draft.pk]) + "#notes"
    empty = client.post(reverse("factcheck_note", args=[draft.pk]),
                        {"body": "", "next": reverse("approval", args=[draft.pk])})
    assert empty.status_code == 422 and "Write the note" in empty.content.decode()


def test_notes_never_reach_a_public_page_feed_or_claimreview(client, editor, publisher, make_statement,
                                                             publish_factcheck):
    speaker = Speaker.objects.create(name="Ada Vance")
    item = make_statement(speaker=speaker)
    factcheck = publish_factcheck(item, claim="the bridge repairs cost 40 million")
    Tag.objects.create(name="Bridges").factchecks.add(factcheck)
    notes.add_note(by=editor, body=SECRET, statement=item)
    notes.add_note(by=publisher, body=SECRET, factcheck=factcheck)
    outputs = [factcheck.get_absolute_url(), reverse("factcheck_index"),
               reverse("speaker", args=[speaker.slug]),
               reverse("tag", args=["bridges"]), reverse("corrections"), reverse("feed_rss"),
               reverse("feed_atom"), reverse("claimreview_feed"), "/sitemap.xml", reverse("methodology")]
    client.logout()
    for url in outputs:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"7f3a" not in response.content and b"stonewalling" not in response.content, url
    # The desk sees it.
    client.force_login(publisher)
    page = client.get(reverse("approval", args=[factcheck.pk])).content.decode()
    assert SECRET in page.replace("&#x27;", "'")


# --------------------------------------------------------------------------- notifications


def test_return_approve_publish_and_correct_tell_the_authors(editor, publisher, make_user, make_statement):
    from factcheck.models import AttributionVerdict, Rating

    vance = Speaker.objects.create(name="Ada Vance")
    fc = factchecks.start_factcheck(statement=make_statement(speaker=vance), by=editor)
    factchecks.save_factcheck(factcheck=fc, by=editor, version=fc.version, explanation="Records.",
                              attribution_verdict=AttributionVerdict.objects.get(slug="accurate"),
                              rating=Rating.objects.get(slug="false"))
    factchecks.submit_factcheck(factcheck=fc, by=editor, no_sources_reason="Own recording.")
    factchecks.return_to_draft(factcheck=fc, by=publisher, note="Name the budget line.")
    returned = Notification.objects.get(recipient=editor)
    assert (returned.kind, returned.text, returned.actor) == ("returned", "Name the budget line.", publisher)
    factchecks.submit_factcheck(factcheck=fc, by=editor, no_sources_reason="Own recording.")
    factchecks.approve(factcheck=fc, by=publisher)
    factchecks.publish(factcheck=fc, by=publisher)
    proposal = factchecks.propose_correction(factcheck=fc, by=make_user("pub2", "Publisher"),
                                             note="Year fixed.")
    factchecks.publish_correction(proposal=proposal, by=publisher)
    kinds = list(Notification.objects.filter(recipient=editor).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["returned", "approved", "published", "corrected"]
    # The proposer hears that their correction went out; the publisher who did it is not told.
    assert Notification.objects.filter(recipient__username="pub2", kind="corrected").exists()
    assert not Notification.objects.filter(recipient=publisher).exists()


def test_the_returned_draft_shows_a_banner_with_the_note(client, editor, publisher, make_statement):
    fc = factchecks.start_factcheck(statement=make_statement(), by=editor)
    factchecks.save_factcheck(factcheck=fc, by=editor, version=fc.version, explanation="Records.",
                              attribution_verdict=None, rating=None)
    from factcheck.models import FactCheck

    FactCheck.objects.filter(pk=fc.pk).update(status="submitted")
    fc.refresh_from_db()
    factchecks.return_to_draft(factcheck=fc, by=publisher, note="Add the second source.")
    client.force_login(editor)
    n = Notification.objects.get(recipient=editor)
    response = client.post(reverse("inbox_read"), {"notification": n.pk})
    assert response["Location"] == reverse("factcheck_edit", args=[fc.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'id="returned"' in page and "Add the second source." in page
    assert "Returned by pub" in page
    n.refresh_from_db()
    assert n.read_at is not None


def test_the_header_count_costs_one_query_and_only_on_desk_pages(client, editor, ann, make_statement):
    for text in ("We have spent 40 million on repairs", OTHER):
        actions.assign_to(statement=make_statement(text, kind="claim" if text == OTHER else "direct"),
                          to=ann, by=editor)
    client.force_login(ann)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("search")).content.decode()
    assert 'aria-label="2 unread"' in page
    assert sum("factcheck_notification" in q["sql"] for q in queries.captured_queries) == 1
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("factcheck_index"))
    assert not any("factcheck_notification" in q["sql"] for q in queries.captured_queries)


def test_notifications_are_emailed_unless_turned_off(client, editor, ann, make_statement,
                                                     django_capture_on_commit_callbacks):
    item = make_statement()
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_to(statement=item, to=ann, by=editor)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@desk.example"] and "ed assigned you an item" in message.subject
    assert item.get_absolute_url() in message.body
    client.force_login(ann)
    client.post(reverse("inbox_email"), {})  # the box unticked
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_to(statement=make_statement(OTHER, kind="claim"), to=ann, by=editor)
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=ann).count() == 2  # the inbox still has it


def test_one_cannot_read_or_open_someone_elses_notification(client, editor, ann, make_statement):
    actions.assign_to(statement=make_statement(), to=ann, by=editor)
    n = Notification.objects.get()
    client.force_login(editor)
    assert client.post(reverse("inbox_read"), {"notification": n.pk}).status_code == 404
    assert client.post(reverse("inbox_read"), {"notification": "1' OR 1=1"}).status_code == 302
    n.refresh_from_db()
    assert n.read_at is None
    client.force_login(ann)
    client.post(reverse("inbox_read"))
    n.refresh_from_db()
    assert n.read_at is not None


# --------------------------------------------------------------------------- saved views


def test_a_saved_view_is_listed_with_its_live_count(client, editor, ann, make_statement):
    health = Tag.objects.create(name="Health")
    items = [make_statement(), make_statement(OTHER, kind="claim")]
    for item in items:
        item.tags.add(health)
    client.force_login(editor)
    response = client.post(reverse("saved_view_save"), {"name": "Health claims, unassigned",
                                                        "query": "tag=health&assignee=unassigned&after=0.5|9",
                                                        "for_desk": "on"})
    view = SavedView.objects.get()
    assert view.query == "assignee=unassigned&tag=health" and view.for_desk
    assert response["Location"] == f"{reverse('queue')}?{view.query}"
    listed = 'Health claims, unassigned: <span class="count">{}</span>'
    assert listed.format(2) in client.get(reverse("queue")).content.decode()
    actions.assign_to(statement=items[0], to=ann, by=editor)  # the count follows the queue at once
    client.force_login(ann)  # and a desk view is everyone's
    assert listed.format(1) in client.get(reverse("queue")).content.decode()


def test_a_private_view_is_its_owners_and_only_they_delete_it(client, editor, ann):
    mine = SavedView.objects.create(name="My claims", owner=editor, query="kind=claim")
    client.force_login(ann)
    assert "My claims" not in client.get(reverse("queue")).content.decode()
    assert client.post(reverse("saved_view_delete", args=[mine.pk])).status_code == 404
    desk = SavedView.objects.create(name="Desk claims", owner=editor, query="kind=claim", for_desk=True)
    client.post(reverse("saved_view_delete", args=[desk.pk]))
    assert SavedView.objects.filter(pk=desk.pk).exists()  # an editor cannot remove a colleague's
    client.force_login(editor)
    client.post(reverse("saved_view_delete", args=[desk.pk]))
    assert not SavedView.objects.filter(pk=desk.pk).exists()


@pytest.mark.parametrize("data", [{"name": "", "query": "kind=claim"},
                                  {"name": "Bad", "query": "min_score=lots"},
                                  {"name": "x" * 101, "query": ""}])
def test_a_view_that_cannot_be_saved_is_a_422(client, editor, data):
    client.force_login(editor)
    response = client.post(reverse("saved_view_save"), data)
    assert response.status_code == 422 and not SavedView.objects.exists()


def test_saving_under_the_same_name_replaces_the_view(client, editor):
    client.force_login(editor)
    client.post(reverse("saved_view_save"), {"name": "Mine", "query": "kind=claim"})
    client.post(reverse("saved_view_save"), {"name": "Mine", "query": "kind=direct"})
    assert list(SavedView.objects.values_list("query", flat=True)) == ["kind=direct"]


def test_a_large_count_stops_at_the_cap_and_a_broken_view_says_so(client, editor, ann, make_statement,
                                                                   monkeypatch):
    from factcheck.review import saved_views

    monkeypatch.setattr(saved_views, "COUNT_CAP", 1)
    make_statement()
    make_statement(OTHER, kind="claim")
    SavedView.objects.create(name="Everything", owner=editor, query="")
    SavedView.objects.create(name="Ann's", owner=editor, query="assignee=ann")
    ann.is_active = False  # she left: her name no longer filters anything
    ann.save()
    client.force_login(editor)
    page = client.get(reverse("queue")).content.decode()
    assert 'Everything: <span class="count">1+</span>' in page
    assert 'Ann&#x27;s: <span class="count">?</span>' in page


def test_the_queue_costs_the_same_queries_with_more_items_and_more_views(client, editor, make_statement):
    client.force_login(editor)

    def queries():
        client.get(reverse("queue"))  # the views' counts are cached by the first look
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("queue")).status_code == 200
        return len(captured.captured_queries)

    make_statement()
    SavedView.objects.create(name="Claims", owner=editor, query="kind=claim")
    few = queries()
    for n in range(30):
        make_statement(f"synthetic {n}", kind="claim")
    for name in ("Direct", "Mine", "Unassigned"):
        SavedView.objects.create(name=name, owner=editor, query="assignee=mine")
    assert queries() == few
