"""From fetched or uploaded bytes to an article's text and metadata.

trafilatura finds the main text and the metadata (title, author, date, site name,
canonical URL). The stored text is what the extractor sees and what the article page
shows: the headline on the first line (headlines carry attributions: "X vows ..."), a
blank line, then the body paragraphs separated by blank lines, so every offset the
extractor returns points into exactly the text on the page.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import charset_normalizer
import trafilatura
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Control characters other than tab/newline/carriage return mean "not text".
MIN_BODY_CHARS = 20
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_url_validator = URLValidator(schemes=["http", "https"])


class NotAnArticle(ValueError):
    """The input holds no article text we can use; the message says why."""


@dataclass
class ParsedArticle:
    title: str
    body: str
    byline: str = ""
    published_at: datetime | None = None
    site_name: str = ""
    canonical_url: str = ""

    @property
    def text(self) -> str:
        return compose_text(self.title, self.body)


def one_line(value: str | None, max_length: int) -> str:
    """A title, byline or name: control characters dropped (PostgreSQL refuses NUL), spaces folded."""
    return " ".join(CONTROL.sub("", value or "").split())[:max_length]


def compose_text(title: str, body: str) -> str:
    """Headline, blank line, body — unless the body already starts with the headline."""
    title, body = " ".join(title.split()), body.strip()
    if not title:
        return body
    first_line = body.split("\n", 1)[0].strip()
    if " ".join(first_line.split()).casefold() == title.casefold():
        return body
    return f"{title}\n\n{body}" if body else title


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name.strip()).name
    except (LookupError, ValueError):
        return ""


def decode_bytes(data: bytes, declared: str = "") -> str:
    """Bytes to text when the declared charset may be missing or wrong.

    A byte-order mark wins; then UTF-8 if the bytes are valid UTF-8 (a page declared
    ISO-8859-1 that is really UTF-8 is the common lie), then the declared charset and a
    <meta charset>, then charset detection, then Windows-1252, which decodes anything.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    candidates = ["utf-8", _codec(declared)]
    meta = META_CHARSET.search(data[:4096])
    if meta:
        candidates.append(_codec(meta.group(1).decode("ascii", "ignore")))
    for encoding in filter(None, dict.fromkeys(candidates)):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace")
    return data.decode("cp1252", errors="replace")


def clean_text(text: str) -> str:
    """Line ends unified, control characters refused (binary data), trailing space trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if CONTROL.search(text[:20000]) and len(CONTROL.findall(text[:20000])) > 3:
        raise NotAnArticle("This looks like binary data, not text.")
    text = CONTROL.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def parse_plain_text(text: str) -> ParsedArticle:
    """A .txt file or pasted text: the first non-empty line is the headline."""
    text = clean_text(text)
    if not text:
        raise NotAnArticle("The text is empty.")
    title = text.split("\n", 1)[0].strip()
    return ParsedArticle(title=title[:500], body=text)


# A day inside datetime's range at each end, so that the date can be shown in any time zone.
EARLIEST, LATEST = datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, tzinfo=UTC)


def storable_datetime(value: datetime) -> datetime | None:
    """`value` (aware) if every database and time zone can hold and show it, else None:
    0001-01-01T00:00+14:00 is in year 0 in UTC (SQLite: OverflowError; PostgreSQL stores it
    as 1 BC, which Python cannot read back)."""
    try:
        in_utc = value.astimezone(UTC)
    except OverflowError:
        return None
    return value if EARLIEST <= in_utc <= LATEST else None


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return storable_datetime(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))
    return None


def is_web_url(url: str) -> bool:
    """An http(s) URL with a host and a valid port (what the fetcher and the model accept)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 — raises ValueError for a port out of range
        _url_validator(url.strip())  # host name syntax: no spaces, control characters, zone ids
    except (ValueError, ValidationError):
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def _strip_site_name(title: str, site_name: str) -> str:
    """"Mayor vows ... | The Courier" -> "Mayor vows ..." (pages without og:title)."""
    site_name = " ".join(site_name.split())
    if site_name:
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            suffix = f"{sep}{site_name}"
            if title.casefold().endswith(suffix.casefold()) and len(title) > len(suffix):
                return title[: -len(suffix)].strip()
    return title


def parse_html(html: str, url: str = "") -> ParsedArticle:
    """The main text and metadata of an article page."""
    if not html.strip():
        raise NotAnArticle("The page is empty.")
    try:
        doc = trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False,
            include_tables=False, include_images=False, deduplicate=False,
            date_extraction_params={"extensive_search": True, "original_date": True,
                                    "outputformat": "%Y-%m-%dT%H:%M:%S%z"})
    except Exception as exc:  # lxml and trafilatura raise a zoo of errors on hostile markup
        raise NotAnArticle(f"The page could not be parsed ({type(exc).__name__}).") from None
    body = clean_text(getattr(doc, "text", None) or "") if doc is not None else ""
    if not body:
        raise NotAnArticle("No article text was found on that page.")
    title = _strip_site_name(one_line(doc.title, 1000), one_line(doc.sitename, 200))
    byline = one_line(doc.author, 300)
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if lines and title and " ".join(lines[0].split()).casefold() == title.casefold():
        lines = lines[1:]
    # A "By Jane Doe" line is the byline, not a sentence of the article.
    if lines and byline and re.fullmatch(rf"by\s+{re.escape(byline)}\.?", lines[0], re.I):
        lines = lines[1:]
    if sum(len(line) for line in lines) < MIN_BODY_CHARS:
        # A menu or a cookie wall, not an article.
        raise NotAnArticle("No article text was found on that page.")
    return ParsedArticle(
        title=title[:500], body="\n\n".join(lines), byline=byline[:300],
        published_at=_parse_date(doc.date), site_name=one_line(doc.sitename, 200),
        canonical_url=doc.url if doc.url and len(doc.url) <= 2000 and is_web_url(doc.url) else "")
