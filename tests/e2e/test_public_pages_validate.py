"""The public pages as the desk's validators read them (#31): the Nu HTML checker (the
`vnu-jar` npm package, run on the machine's Java) reports no error on any of them, and axe-core
(the `axe-core` npm package, run in Chromium) reports no violation.

Both tools come from the npm registry at pinned versions, installed by the first test run into
var/npm-tools/ (install scripts off: vnu-jar's only downloads a Java we already have) and
reused after that, so a fresh clone needs nothing but node, npm and java, which the machines
have (Debian's openjdk-17-jre-headless and nodejs).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from factcheck.factchecks import actions as factchecks
from factcheck.models import Tag
from tests.e2e.desk import build_desk, published_factcheck
from tests.e2e.helpers import IN_CI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TOOLS = Path(django_settings.BASE_DIR) / "var" / "npm-tools"
PACKAGES = {"vnu-jar": "26.9.27", "axe-core": "4.14.1"}
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "node_modules" / "axe-core" / "axe.min.js"


def _installed() -> bool:
    for name, version in PACKAGES.items():
        manifest = TOOLS / "node_modules" / name / "package.json"
        if not manifest.exists() or json.loads(manifest.read_text())["version"] != version:
            return False
    return VNU_JAR.exists() and AXE_JS.exists()


@pytest.fixture(scope="session")
def npm_tools():
    """vnu.jar and axe.min.js, installed once into var/npm-tools/."""
    missing = [tool for tool in ("npm", "java") if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (Debian: nodejs, openjdk-17-jre-headless)"
        if IN_CI:
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    if not _installed():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOLS), "--no-save", "--no-audit", "--no-fund",
                        "--ignore-scripts", *(f"{name}@{version}" for name, version in PACKAGES.items())],
                       check=True, capture_output=True, timeout=600)
    assert _installed(), f"npm did not install {PACKAGES} into {TOOLS}"
    return {"vnu": VNU_JAR, "axe": AXE_JS.read_text()}


def vnu_errors(jar: Path, pages: dict[str, str], folder: Path) -> list[str]:
    """The Nu checker's errors on each page's HTML as served, in one Java start."""
    files = []
    for n, (url, html) in enumerate(pages.items()):
        path = folder / f"page-{n}.html"
        path.write_text(html, encoding="utf-8")
        files.append((path, url))
    run = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--errors-only", "--exit-zero-always",
                          *(str(p) for p, _ in files)], capture_output=True, text=True, timeout=300)
    report = json.loads(run.stderr or run.stdout)
    by_file = {p.as_uri(): url for p, url in files}
    return [f"{by_file.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
            for m in report["messages"] if m["type"] == "error"]


AXE_RUN = """async () => {
  const result = await axe.run(document);
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} -- `
    + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


@pytest.fixture
def public_site(desk_editor, desk_publisher, publisher_two):
    desk = build_desk()
    items = desk["statements"]
    factcheck = published_factcheck(items["We will stop every shipment the day they move against us"],
                                    editor=desk_editor, publisher=desk_publisher,
                                    claim="Tarnek says Valdoria will stop all exports south",
                                    rating="half-true")
    sibling = published_factcheck(items["Nobody in Valdoria wants this"], editor=desk_editor,
                                  publisher=desk_publisher, claim="Tarnek: nobody in Valdoria wants war")
    gone = published_factcheck(items["it would be over within a week."], editor=desk_editor,
                               publisher=desk_publisher, claim="Tarnek: it would be over within a week")
    factchecks.withdraw(factcheck=gone, by=publisher_two, reason="The quote was from a different speech.")
    tag = Tag.objects.create(name="Borders")
    factcheck.tags.add(tag)
    sibling.tags.add(tag)
    speaker = factcheck.statements.first().speaker
    return {
        "index": "/fact-checks/", "fact-check": factcheck.get_absolute_url(),
        "related fact-check": sibling.get_absolute_url(), "withdrawn": gone.get_absolute_url(),
        "speaker": f"/speakers/{speaker.slug}/", "tag": f"/tags/{tag.slug}/",
        "methodology": "/methodology/", "corrections": "/corrections/", "search": "/fact-checks/?q=Valdoria",
        "not found": "/fact-checks/no-such-check/",
    }


@pytest.fixture
def publisher_two(make_desk_user):
    return make_desk_user("pia", "Publisher", first_name="Pia", last_name="Second")


def test_public_pages_have_no_nu_checker_errors_and_no_axe_violations(npm_tools, public_site, new_context,
                                                                       problems, tmp_path):
    problems.allow_status(404, 410)
    page = new_context().new_page()
    sources, violations = {}, []
    for name, path in public_site.items():
        response = page.goto(path)
        expected = {"withdrawn": 410, "not found": 404}.get(name, 200)
        assert response.status == expected, f"{name}: {path} answered {response.status}"
        sources[path] = response.text()
        # evaluate() runs outside the page's CSP, which (rightly) refuses injected scripts.
        page.evaluate(npm_tools["axe"])
        violations += [f"{path}: {v}" for v in page.evaluate(AXE_RUN)]
    errors = vnu_errors(npm_tools["vnu"], sources, tmp_path)
    assert not errors, "\n".join(errors)
    assert not violations, "\n".join(violations)
    problems.assert_none()
