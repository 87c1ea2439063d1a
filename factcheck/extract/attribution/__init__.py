"""Attach quotations to their cue and speaker, and find reported speech."""

from .direct import Found, find_attributions, is_cue, noun_phrase

__all__ = ["Found", "find_attributions", "is_cue", "noun_phrase"]
