"""Share cards: the 1200x630 PNG that social sites show for a link to a fact-check (og:image),
drawn on the server with Pillow, and the site's own card for the index, speaker and topic pages.

A card is drawn once per published version and kept under MEDIA_ROOT/public/cards/; its name
holds the fact-check's id, version and publication time, so a correction (a new version) makes
a new card at a new URL, and a database made again from scratch never meets an old file.
"""

import io
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 64

# The site's colours (static/css/site.css): ink, muted, accent, the rating badges' colours.
INK, MUTED, ACCENT, PAPER, LINE = "#1d1d1f", "#6b6b70", "#0b5cad", "#fafafa", "#d9d9de"
VERDICT_BG = "#e6eefb"
RATING_BG = {"true": "#1d7a3a", "mostly-true": "#1d7a3a", "half-true": "#946300",
             "mostly-false": "#b3261e", "false": "#b3261e"}
RATING_DEFAULT_BG = "#333333"

# DejaVu Sans covers Latin with accents, Greek and Cyrillic (speakers' names are often not
# English). Debian's fonts-dejavu-core installs it here, on our machines and most servers;
# without it the card falls back to Pillow's own scalable font, which covers basic Latin.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")


@cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def wrap(text: str, face, width: int, max_lines: int) -> list[str]:
    """`text` in lines no wider than `width` pixels, at most `max_lines` of them; if it does not
    fit, the last line ends with an ellipsis. A word wider than a line is cut (a long URL)."""
    words = text.split()
    lines: list[str] = []
    current = ""
    truncated = False
    i = 0
    while i < len(words):
        word = words[i]
        candidate = f"{current} {word}".strip()
        if face.getlength(candidate) <= width:
            current, i = candidate, i + 1
            continue
        if not current:  # one word wider than the line: cut it
            cut = len(word)
            while cut > 1 and face.getlength(word[:cut]) > width:
                cut -= 1
            current, words[i] = word[:cut], word[cut:]
        lines.append(current)
        current = ""
        if len(lines) == max_lines:
            truncated = True
            break
    if current and len(lines) < max_lines:
        lines.append(current)
    if truncated and lines:
        last = lines[-1]
        while last and face.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip(" ,;:.") + "…"
    return lines


@dataclass(frozen=True)
class CardText:
    quote: str
    speaker: str
    verdict: str  # attribution verdict, "" when there is no speaker
    rating: str
    rating_slug: str
    site: str


def _pill(draw, x: int, y: int, label: str, text: str, *, fill: str, ink: str) -> int:
    """A verdict box as the page shows it: a small caps label over a filled badge. Returns the
    x where the next one may start."""
    small, big = font(22), font(34, bold=True)
    draw.text((x, y), label.upper(), font=small, fill=MUTED)
    text = wrap(text, big, 460, 1)[0] if text else "—"
    width = int(big.getlength(text)) + 48
    draw.rounded_rectangle((x, y + 34, x + width, y + 34 + 60), radius=30, fill=fill)
    draw.text((x + 24, y + 34 + 30), text, font=big, fill=ink, anchor="lm")
    return x + max(width, int(small.getlength(label.upper()))) + 40


def draw_card(text: CardText) -> bytes:
    """The fact-check's card as PNG bytes. Every line is measured before it is drawn, so long
    quotes, names and labels are wrapped and end in an ellipsis inside the card."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
    inner = WIDTH - 2 * MARGIN
    draw.text((MARGIN, 44), wrap(f"{text.site} · Fact-check", font(26, bold=True), inner, 1)[0],
              font=font(26, bold=True), fill=ACCENT)
    quote_face = font(46)
    lines = wrap(f"“{text.quote}”", quote_face, inner, 4)
    y = 104
    for line in lines:
        draw.text((MARGIN, y), line, font=quote_face, fill=INK)
        y += 60
    speaker = wrap(f"— {text.speaker}" if text.speaker else "— Unknown speaker", font(30), inner, 1)[0]
    draw.text((MARGIN, y + 12), speaker, font=font(30), fill=MUTED)
    draw.line((MARGIN, 440, WIDTH - MARGIN, 440), fill=LINE, width=2)
    x = _pill(draw, MARGIN, 462, "Did they say it?", text.verdict or "Not assessed", fill=VERDICT_BG, ink=INK)
    _pill(draw, x, 462, "Is it true?", text.rating or "Unrated",
          fill=RATING_BG.get(text.rating_slug, RATING_DEFAULT_BG), ink="#ffffff")
    return _png(image)


def draw_site_card(site: str, tagline: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
    inner = WIDTH - 2 * MARGIN
    y = 200
    for line in wrap(site, font(72, bold=True), inner, 2):
        draw.text((MARGIN, y), line, font=font(72, bold=True), fill=INK)
        y += 90
    for line in wrap(tagline, font(36), inner, 2):
        draw.text((MARGIN, y + 20), line, font=font(36), fill=MUTED)
        y += 50
    return _png(image)


def _png(image) -> bytes:
    buffer = io.BytesIO()
    # Pillow's default compression: optimize=True made the file 5% smaller for 5x the time.
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def stored(name: str, make) -> Path:
    """The file `name` under MEDIA_ROOT/public/, made by `make()` (bytes) the first time only.
    Written to a temporary file and renamed, so a reader never sees half a file, and two
    workers making the same one at once both end with a whole one."""
    path = Path(settings.MEDIA_ROOT) / "public" / name
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = make()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
