"""Who may do what: every URL pattern x role x method, with the expected answer.

The table is checked against the URL resolver, so a new view without a row fails the suite.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from factcheck.factchecks import actions as factchecks
from factcheck.models import Evidence, FactCheck, Speaker, Tag

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "editor", "publisher", "admin", "inactive"]
ANON = {"anonymous", "inactive"}  # an inactive account is logged out on its next request
DESK = {"editor", "publisher", "admin"}

# Answers by category: {(role group, method): allowed statuses}. "ok" is any 2xx/3xx/4xx
# answer other than 401/403/405 (the request reached the action and was judged on its input).
OK = "ok"
LOGIN = {302}
CATEGORIES = {
    # Public pages: everyone reads, nobody writes.
    "public": {"GET": {r: {200} for r in ROLES}, "POST": {r: {405} for r in ROLES}},
    "public-redirect": {"GET": {r: {302} for r in ROLES}, "POST": {r: {405} for r in ROLES}},
    # Desk pages: reviewers only.
    "desk-page": {"GET": {**{r: LOGIN for r in ANON}, "reader": {403}, **{r: {200} for r in DESK}},
                  "POST": {r: {405} for r in ROLES}},
    # Desk actions: POST only; reviewers only.
    "desk-action": {"GET": {r: {405} for r in ROLES},
                    "POST": {**{r: LOGIN for r in ANON}, "reader": {403}, **{r: OK for r in DESK}}},
    # Desk page that is also a form (GET shows it, POST saves).
    "desk-form": {"GET": {**{r: LOGIN for r in ANON}, "reader": {403}, **{r: {200} for r in DESK}},
                  "POST": {**{r: LOGIN for r in ANON}, "reader": {403}, **{r: OK for r in DESK}}},
    # Publisher decisions: the draft's author (editor) is refused, strangers see nothing.
    "publisher-action": {"GET": {r: {405} for r in ROLES},
                         "POST": {**{r: LOGIN for r in ANON}, "reader": {404}, "editor": {403},
                                  "publisher": OK, "admin": OK}},
    # The JSON API authenticates by token, never by session.
    "api-post": {"GET": {r: {405} for r in ROLES}, "POST": {r: {401} for r in ROLES}},
    "api-get": {"GET": {r: {401} for r in ROLES}, "POST": {r: {405} for r in ROLES}},
    # Auth pages answer everyone; what they do is Django's own, tested by Django.
    "auth": {"GET": {r: {200, 302} for r in ROLES}, "POST": {r: {OK, 302} for r in ROLES}},
    "auth-logged-in": {"GET": {**{r: LOGIN for r in ANON}, **{r: {200} for r in
                                                              ("reader", *DESK)}},
                       "POST": {**{r: LOGIN for r in ANON}, **{r: OK for r in ("reader", *DESK)}}},
    "auth-done": {"GET": {r: {200} for r in ROLES}, "POST": {r: {405} for r in ROLES}},
    "auth-done-logged-in": {"GET": {**{r: LOGIN for r in ANON}, **{r: {200} for r in
                                                                   ("reader", *DESK)}},
                            "POST": {**{r: {302} for r in ANON},
                                     **{r: {405} for r in ("reader", *DESK)}}},
    "logout": {"GET": {r: {405} for r in ROLES}, "POST": {r: {200, 302} for r in ROLES}},
    "health": {"GET": {r: {200} for r in ROLES}, "POST": {r: {405} for r in ROLES}},
}

# url name -> (category, kwargs built from the world fixture)
ROWS = {
    "home": ("public-redirect", {}),
    "healthz": ("health", {}),
    "login": ("auth", {}),
    "logout": ("logout", {}),
    "password_change": ("auth-logged-in", {}),
    "password_change_done": ("auth-done-logged-in", {}),
    "password_reset": ("auth", {}),
    "password_reset_done": ("auth-done", {}),
    "password_reset_confirm": ("auth", {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": ("auth-done", {}),
    "queue": ("desk-page", {}),
    "next_item": ("desk-action", {}),
    "bulk_dismiss": ("desk-action", {}),
    # The desk's day (#30): assignment, bulk actions, saved views, notes, the inbox.
    "bulk_action": ("desk-action", {}),
    "holders": ("desk-page", {}),
    "saved_view_save": ("desk-action", {}),
    "saved_view_delete": ("desk-action", {"pk": "saved_view"}),
    "inbox": ("desk-page", {}),
    "inbox_read": ("desk-action", {}),
    "inbox_email": ("desk-action", {}),
    "statement_assign_to": ("desk-action", {"pk": "statement"}),
    "statement_priority": ("desk-action", {"pk": "statement"}),
    "statement_note": ("desk-action", {"pk": "statement"}),
    "factcheck_note": ("desk-action", {"pk": "draft"}),
    "article_statement_new": ("desk-action", {"pk": "article"}),
    "outlet_options": ("desk-page", {}),
    "statement": ("desk-page", {"pk": "statement"}),
    "statement_assign": ("desk-action", {"pk": "statement"}),
    "statement_release": ("desk-action", {"pk": "statement"}),
    "statement_dismiss": ("desk-action", {"pk": "statement"}),
    "statement_restore": ("desk-action", {"pk": "statement"}),
    "statement_edit": ("desk-action", {"pk": "statement"}),
    "statement_speaker": ("desk-action", {"pk": "statement"}),
    "statement_new_speaker": ("desk-action", {"pk": "statement"}),
    "statement_tags": ("desk-action", {"pk": "statement"}),
    "factcheck_start": ("desk-action", {"pk": "statement"}),
    "speaker_options": ("desk-page", {}),
    "search": ("desk-page", {}),
    "speakers_merge": ("desk-form", {}),
    "article": ("desk-page", {"pk": "article"}),
    "article_new": ("desk-form", {}),
    "article_extraction": ("desk-page", {"pk": "article"}),
    "article_retry": ("desk-action", {"pk": "article"}),
    "article_versions": ("desk-page", {"pk": "article"}),
    "ingest_batch": ("desk-page", {"pk": "batch"}),
    "api_articles": ("api-post", {}),
    "api_article": ("api-get", {"pk": "article"}),
    "factcheck_edit": ("desk-form", {"pk": "draft"}),
    "factcheck_submit": ("desk-action", {"pk": "draft"}),
    "evidence_add": ("desk-action", {"pk": "draft"}),
    "evidence_archive": ("desk-action", {"pk": "draft", "evidence_pk": "draft_evidence"}),
    "reply_add": ("desk-action", {"pk": "draft"}),
    "approvals": ("desk-page", {}),
    "approval": ("desk-page", {"pk": "published"}),
    "approve": ("publisher-action", {"pk": "submitted"}),
    "return_to_draft": ("publisher-action", {"pk": "submitted"}),
    "publish": ("publisher-action", {"pk": "submitted"}),
    "correct": ("publisher-action", {"pk": "published"}),
    "correction_publish": ("publisher-action", {"pk": "published", "proposal_pk": "proposal"}),
    "correction_decline": ("publisher-action", {"pk": "published", "proposal_pk": "proposal"}),
    "withdraw": ("publisher-action", {"pk": "published"}),
    "factcheck_index": ("public", {}),
    "factcheck": ("public", {"slug": "published_slug"}),
    "speaker": ("public", {"slug": "speaker_slug"}),
    "tag": ("public", {"slug": "tag_slug"}),
    "methodology": ("public", {}),
    "corrections": ("public", {}),
    "evidence_snapshot": ("public", {"pk": "published_evidence"}),
    # Share cards and evidence bundles (#31): one URL per published version.
    "factcheck_card": ("public", {"slug": "published_slug", "version": "published_version"}),
    "factcheck_bundle": ("public", {"slug": "published_slug", "version": "published_version"}),
    "site_card": ("public", {}),
    # Primary sources (#32): the desk attaches, reads and decides; our copy of one whose
    # reading is decided and whose quote a published check covers is public.
    "primary_source_add": ("desk-action", {"pk": "statement"}),
    "primary_source": ("desk-page", {"pk": "published_source"}),
    "primary_source_decide": ("desk-action", {"pk": "published_source"}),
    "primary_source_snapshot": ("public", {"pk": "published_source"}),
    "feed_rss": ("public", {}),
    "feed_atom": ("public", {}),
    "claimreview_feed": ("public", {}),
    "django.contrib.sitemaps.views.sitemap": ("public", {}),
    "robots_txt": ("public", {}),
}

# Pages that are allowed to answer differently for a reason stated here.
EXCEPTIONS = {
    # Only the draft's authors (and publishers) see it; other editors are outsiders.
    ("factcheck_edit", "GET"): {"editor": {200}},
    # A status fragment for htmx polling; a plain request is sent to the article page.
    **{("article_extraction", "GET"): {r: {302} for r in DESK}},
    ("approval", "GET"): {"editor": {404}},  # the published check is not the editor's own
    # These approval steps refer to someone else's fact-check for the publisher role.
    ("correct", "POST"): {"editor": {404}},
    ("withdraw", "POST"): {"editor": {404}},
    ("correction_publish", "POST"): {"editor": {404}},
    ("correction_decline", "POST"): {"editor": {404}},
}


def _named_patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # Django's admin checks is_staff itself; see test_admin_is_staff_only
            yield from _named_patterns(p, p.namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name


def test_every_url_has_a_row():
    missing = sorted(set(_named_patterns()) - set(ROWS))
    assert not missing, f"add these URL names to the access matrix: {missing}"


@pytest.fixture
def world(make_user, make_statement, editor, publisher, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    users = {"reader": make_user("reader"), "editor": editor, "publisher": publisher,
             "admin": make_user("root", is_staff=True, is_superuser=True),
             "inactive": make_user("gone", "Editor", is_active=False)}
    speaker = Speaker.objects.create(name="Ada Vance")
    statement = make_statement(speaker=speaker)
    other = make_statement("Critics said the cost had doubled since 2023.", kind="claim",
                           speaker=speaker)
    author = make_user("author", "Editor")
    # A published check by a third editor, approved by a second publisher.
    published = _submitted(author, other)
    second_publisher = make_user("pub2", "Publisher")
    factchecks.approve(factcheck=published, by=second_publisher)
    factchecks.publish(factcheck=published, by=second_publisher)
    Tag.objects.create(name="Bridges").factchecks.add(published)
    published_evidence = Evidence.objects.create(factcheck=published, url="https://x.example/a")
    published_evidence.snapshot.save("a.html", ContentFile(b"<p>copy</p>"))
    from factcheck.models import PrimarySource

    published_source = PrimarySource(statement=other, text="Critics said the cost had doubled.",
                                     proposed="verbatim", decision="verbatim", passage_start=0,
                                     passage_end=34)
    published_source.snapshot.save("s.txt", ContentFile(b"Critics said the cost had doubled."))
    proposal = factchecks.propose_correction(factcheck=published, by=author, note="The year was 2023.")
    # The editor's own draft, and the editor's own submitted check (publisher may decide).
    draft = factchecks.start_factcheck(statement=statement, by=editor)
    draft_evidence = Evidence.objects.create(factcheck=draft, url="https://x.example/b")
    submitted = _submitted(editor, make_statement("Minister Ada Vance said the bridge would "
                                                  "reopen in May.", kind="indirect"))
    from factcheck.models import IngestBatch

    batch = IngestBatch.objects.create(name="feeds.jsonl", lines="", created_by=editor)
    ids = {"statement": statement.pk, "article": statement.article_id, "draft": draft.pk,
           "draft_evidence": draft_evidence.pk, "submitted": submitted.pk, "published": published.pk,
           "published_slug": published.slug, "speaker_slug": speaker.slug, "tag_slug": "bridges",
           "published_evidence": published_evidence.pk, "batch": batch.pk, "proposal": proposal.pk,
           "published_source": published_source.pk}
    ids["published_version"] = FactCheck.objects.get(pk=published.pk).version
    from factcheck.models import SavedView

    # A desk view another member saved: editors may not delete it, publishers may.
    ids["saved_view"] = SavedView.objects.create(name="Claims", owner=second_publisher, for_desk=True,
                                                 query="kind=claim").pk
    return users, ids


def _submitted(by, statement):
    from factcheck.models import AttributionVerdict, Rating

    fc = factchecks.start_factcheck(statement=statement, by=by)
    factchecks.save_factcheck(factcheck=fc, by=by, version=fc.version, explanation="Checked.",
                              attribution_verdict=AttributionVerdict.objects.first(),
                              rating=Rating.objects.first())
    factchecks.submit_factcheck(factcheck=fc, by=by,
                                no_sources_reason="The claim is checked against its own recording.")
    return FactCheck.objects.get(pk=fc.pk)


def _matches(status: int, allowed) -> bool:
    if allowed == OK or (isinstance(allowed, set) and OK in allowed):
        extra = allowed - {OK} if isinstance(allowed, set) else set()
        return status in extra or (200 <= status < 500 and status not in (401, 403, 405))
    return status in allowed


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(ROWS))
def test_access_matrix(client, world, name, method):
    users, ids = world
    category, kwargs = ROWS[name]
    url = reverse(name, kwargs={k: ids.get(v, v) for k, v in kwargs.items()})
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        allowed = EXCEPTIONS.get((name, method), {}).get(role) or CATEGORIES[category][method][role]
        response = client.get(url) if method == "GET" else client.post(url, {})
        if response.status_code >= 500 or not _matches(response.status_code, allowed):
            failures.append(f"{role}: {response.status_code} (expected {allowed})")
        if response.status_code == 302 and allowed is LOGIN:
            assert "/accounts/login/" in response["Location"], (role, response["Location"])
    assert not failures, f"{method} {url}: " + "; ".join(failures)


def test_admin_is_staff_only(client, world):
    users, _ = world
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        status = client.get("/admin/").status_code
        assert status == (200 if role == "admin" else 302), role


def test_drafts_and_unpublished_checks_are_invisible_to_the_public(client, world):
    _, ids = world
    for pk in (ids["draft"], ids["submitted"]):
        slug = FactCheck.objects.get(pk=pk).slug
        assert client.get(reverse("factcheck", args=[slug])).status_code == 404
