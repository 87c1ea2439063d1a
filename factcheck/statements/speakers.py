"""The stored Speaker behind each speaker the extractor found, created on first sight."""

from factcheck.extract import Speaker as FoundSpeaker
from factcheck.models import Speaker, SpeakerAlias, normalize_text

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us"}
NAME_PARTICLES = {"of", "the", "de", "da", "van", "von", "der", "al", "bin", "la", "le", "and"}
ORGANIZATION_TYPES = {"ORG", "NORP", "GPE"}


def looks_like_a_name(mention: str) -> bool:
    """A mention worth keeping as an alias: "President Jane Doe", "The Daily Planet";
    not "he" or "the city's mayor", which name different people in different articles."""
    words = mention.split()
    if not words or mention.casefold() in PRONOUNS:
        return False
    return all(w[0].isupper() or w.casefold() in NAME_PARTICLES for w in words)


def resolve_speakers(found: list[FoundSpeaker | None]) -> list[Speaker | None]:
    """The stored speaker of each extracted one (None where nobody is named), created on first
    sight, with each mention that looks like a name kept as an alias.

    One query looks up every name of the article; each name is then resolved in order as if
    looked up alone, so speakers created and aliases added for earlier quotes count for later
    ones. The new aliases are stored together at the end."""
    stored = Speaker.objects.first_matching_each(f.name for f in found if f and f.name)
    created: list[Speaker] = []
    aliases: dict[tuple[int, str], SpeakerAlias] = {}
    seen: dict[str, Speaker] = {}
    speakers = []
    for one in found:
        if one is None or not one.name:
            speakers.append(None)
            continue
        name = one.name
        speaker = seen.get(name)
        if speaker is None:
            key = normalize_text(name)
            candidates = [s for s in (stored.get(name),) if s is not None]
            candidates += [s for s in created if s.name.upper() == key.upper()]  # name__iexact
            candidates += [a.speaker for a in aliases.values() if a.normalized == key.casefold()]
            speaker = min(candidates, key=lambda s: s.pk, default=None)
            if speaker is None:
                kind = (Speaker.Kind.ORGANIZATION if one.entity_type in ORGANIZATION_TYPES
                        else Speaker.Kind.PERSON)
                speaker = Speaker.objects.create(name=name[:200], kind=kind)
                created.append(speaker)
            seen[name] = speaker
        mention = one.mention or ""
        alias = normalize_text(mention)  # as Speaker.add_alias stores it
        if looks_like_a_name(mention) and alias.casefold() != speaker.name.casefold():
            aliases.setdefault((speaker.pk, alias.casefold()), SpeakerAlias(
                speaker=speaker, alias=alias, normalized=alias.casefold()))
        speakers.append(speaker)
    # Aliases the speaker already has stay as they are.
    SpeakerAlias.objects.bulk_create(aliases.values(), ignore_conflicts=True)
    return speakers
