"""Subtitle files (.srt, .vtt) to plain text with a map back to each cue's start time.

Pure Python, no Django. The numbers, timestamps, WEBVTT header, NOTE/STYLE/REGION blocks and
tags (<i>, <v Speaker>, <c.yellow>, inline <00:00:01.000>) are dropped; the cue text is kept,
one cue a line, so a quote that runs over two cues reads as one passage.
"""

from __future__ import annotations

import html
import re

# 00:01:02,500 (SubRip) or 00:01:02.500 / 01:02.500 (WebVTT: hours optional).
_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_TAG = re.compile(r"<[^>\n]*>")
_SRT_START = re.compile(rf"\A\s*\d+\s*\r?\n{_TIME}\s*-->")
_BLOCKS = re.compile(r"\n\s*\n")


class SubtitleError(ValueError):
    """A file that says it is subtitles but holds no cue we can read."""


def sniff(text: str, filename: str | None = None) -> str:
    """"vtt", "srt" or "text": by the file's extension when it has one we know, else by its start."""
    ext = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if ext in ("vtt", "srt"):
        return ext
    head = text.lstrip("\ufeff")
    if head.startswith("WEBVTT"):
        return "vtt"
    if _SRT_START.match(head):
        return "srt"
    return "text"


def _seconds(h: str | None, m: str, s: str, frac: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000


def parse(text: str, kind: str) -> list[tuple[float, str]]:
    """(start seconds, cue text) for each cue of a .srt or .vtt text, in file order.

    A line that repeats the line just before it is dropped: automatic captions roll each line
    through two cues, and a quote must not read the same words twice.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    cues: list[tuple[float, str]] = []
    previous_line = None
    for block in _BLOCKS.split(text):
        lines = [line for line in block.split("\n") if line.strip()]
        timing_at = next((i for i, line in enumerate(lines) if TIMING.match(line)), None)
        if timing_at is None:
            continue  # the WEBVTT header, NOTE, STYLE and REGION blocks, stray numbers
        h, m, s, frac = TIMING.match(lines[timing_at]).groups()[:4]
        kept = []
        for line in lines[timing_at + 1:]:
            clean = " ".join(html.unescape(_TAG.sub("", line)).split())
            if clean and clean != previous_line:
                kept.append(clean)
                previous_line = clean
        if kept:
            cues.append((_seconds(h, m, s, frac), " ".join(kept)))
    if not cues:
        raise SubtitleError(f"This .{kind} file holds no subtitle cue with text.")
    return cues


def format_time(seconds: float) -> str:
    """00:12:34, as a player shows it (hours always, for transcripts of several hours)."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
