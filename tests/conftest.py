import pytest
from django.conf import settings
from django.contrib.auth.models import Group

_REPORTED = []


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering, which it keeps
def pytest_collection_modifyitems(config, items):
    # Slow tests last (a stable sort keeps the others' order): the rest report first.
    items.sort(key=lambda item: "slow" in item.keywords)
    reason = getattr(settings, "POSTGRES_UNAVAILABLE", "")
    if not reason:
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL: {reason}")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
            _REPORTED.append(item.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _REPORTED:
        terminalreporter.section("PostgreSQL tests skipped")
        terminalreporter.write_line(
            f"{len(_REPORTED)} tests were skipped because "
            f"{settings.POSTGRES_UNAVAILABLE}; set TEST_DATABASE_URL to run them:")
        for nodeid in _REPORTED:
            terminalreporter.write_line(f"  {nodeid}")


@pytest.fixture
def make_user(django_user_model):
    def make(username, group=None, **extra):
        user = django_user_model.objects.create_user(username=username, password="x", **extra)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def editor(make_user):
    return make_user("ed", "Editor")


@pytest.fixture
def publisher(make_user):
    return make_user("pub", "Publisher")


@pytest.fixture
def publish_factcheck(editor, publisher):
    """Take a statement through the whole workflow to a published fact-check, as the desk does:
    publish_factcheck(statement, claim="...", rating="false")."""
    from factcheck.factchecks import actions as factchecks
    from factcheck.models import AttributionVerdict, Rating

    def publish(statement, *, claim, rating="false", explanation="The records say otherwise.",
                approver=None):
        factcheck = factchecks.start_factcheck(statement=statement, by=editor)
        factchecks.save_factcheck(factcheck=factcheck, by=editor, version=factcheck.version,
                                  claim_reviewed=claim, explanation=explanation,
                                  attribution_verdict=AttributionVerdict.objects.get(slug="accurate"),
                                  rating=Rating.objects.get(slug=rating))
        factchecks.submit_factcheck(factcheck=factcheck, by=editor,
                                    no_sources_reason="The claim is checked against its own recording.")
        factchecks.approve(factcheck=factcheck, by=approver or publisher)
        factchecks.publish(factcheck=factcheck, by=approver or publisher)
        return factcheck

    return publish


ARTICLE_TEXT = (
    "Minister Ada Vance said the bridge would reopen in May.\n\n"
    '"We have spent 40 million on repairs," she said. "The work is nearly done."\n\n'
    "Critics said the cost had doubled since 2023."
)


@pytest.fixture
def article(db):
    from factcheck.models import Article

    return Article.objects.ingest(text=ARTICLE_TEXT, url="https://paper.example/bridge",
                                  title="Bridge to reopen")[0]


@pytest.fixture
def make_statement(article):
    """A queue item in the shared article; `text` must occur in it (first occurrence used)."""
    from factcheck.models import Statement

    counter = {"n": 0}

    def make(text="We have spent 40 million on repairs", *, kind="direct", score=0.5, **extra):
        start = article.text.find(text)
        if start < 0:  # synthetic items for volume tests: spread over distinct spans
            counter["n"] += 1
            start, end = counter["n"], counter["n"] + 1
        else:
            end = start + len(text)
        return Statement.objects.create(article=article, kind=kind, text=text, start=start,
                                        end=end, score=score, **extra)

    return make
