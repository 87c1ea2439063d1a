"""Demo content for `manage.py load_demo`: fictional articles written for this project.

Each article exercises the hard cases the extractor must get right (a pronoun and a
description as speakers, a quote split by "he said", scare quotes, a programme title in
quotes, a ministry quoted inside a wire report, "according to a translation", a
multi-paragraph quotation, numeric claims). The people, places and outlets are invented.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ARTICLES_DIR = Path(__file__).parent / "articles"


@dataclass(frozen=True)
class DemoArticle:
    filename: str
    outlet: str
    outlet_domain: str
    url: str
    byline: str
    published_at: datetime

    @property
    def text(self) -> str:
        with open(ARTICLES_DIR / self.filename, encoding="utf-8", newline="") as fh:
            return fh.read()

    @property
    def title(self) -> str:
        return self.text.split("\n", 1)[0].strip()


DEMO_ARTICLES = [
    DemoArticle("tarnek-valdoria-border.txt", "The Meridian Ledger (demo)", "meridian-ledger.example",
                "https://meridian-ledger.example/world/tarnek-vows-support", "Lena Brandt",
                datetime(2026, 3, 3, 16, 30, tzinfo=UTC)),
    DemoArticle("harbour-city-budget.txt", "Harbour Gazette (demo)", "harbour-gazette.example",
                "https://harbour-gazette.example/city/tram-budget-row", "Sam Whitlock",
                datetime(2026, 4, 14, 9, 0, tzinfo=UTC)),
    DemoArticle("river-clinic-waiting.txt", "Northern River Times (demo)", "nrtimes.example",
                "https://nrtimes.example/health/clinic-waits-winter", "Priya Natarajan",
                datetime(2026, 10, 9, 7, 45, tzinfo=UTC)),
]

DEMO_USERS = [
    # (username, group, is_staff, password) — demo passwords only; load_demo refuses to run
    # on a production configuration (DEBUG off) unless asked explicitly.
    ("editor", "Editor", False, "editor-demo-pass"),
    ("publisher", "Publisher", False, "publisher-demo-pass"),
    ("admin", None, True, "admin-demo-pass"),
]
