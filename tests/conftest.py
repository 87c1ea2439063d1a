import pytest
from django.conf import settings
from django.contrib.auth.models import Group

_REPORTED = []


def pytest_collection_modifyitems(config, items):
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
