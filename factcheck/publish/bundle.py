"""The evidence bundle: one zip per published version of a fact-check, so a reader or another
fact-checker can verify the work offline.

    manifest.json        what the bundle holds: every file with its sha256 and size, each
                         source with its URL, access date and the sha256 recorded when we
                         archived it
    claimreview.json     the ClaimReview JSON-LD, as on the page
    article-excerpt.txt  where the words were printed, with the sentences around them
    sources/NN-<sha256 prefix>.<ext>   each archived source snapshot, as archived

The zip is byte-for-byte the same each time it is built (fixed member dates, sorted names),
so its sha256 and ETag are stable; it is built once per version and kept on disk.
"""

import hashlib
import io
import json
import zipfile
from pathlib import PurePosixPath

from factcheck.models import FactCheck
from factcheck.publish.claimreview import absolute, claim_review
from factcheck.publish.context import article_texts, chain_in_words, quote_context, role_in_article

MANIFEST_FORMAT = "factcheck-evidence-bundle/1"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def excerpt_text(factcheck: FactCheck, statements: list) -> str:
    texts = article_texts(statements)
    blocks = []
    for s in statements:
        article = s.article
        lines = [f"Quote: {s.text}",
                 f"Speaker: {s.speaker.name if s.speaker else 'not named'}"]
        if role := role_in_article(s):
            lines.append(f"Described in the article as: {role}")
        if s.venue:
            lines.append(f"Where it was said: {s.venue}")
        if chain := chain_in_words(s):
            lines.append(f"Reached the article through: {chain}")
        lines.append(f"Article: {article.title or '(untitled)'}")
        if article.outlet:
            lines.append(f"Outlet: {article.outlet.name}")
        if article.published_at:
            lines.append(f"Published: {article.published_at.isoformat()}")
        # Only the article's public address: a pasted article has none (our desk is not public).
        lines.append(f"URL: {article.url or '(none: the article was not published online)'}")
        context = quote_context(s, texts.get(s.article_id, ""))
        lines += ["", "Context:",
                  context.plain if context else "(the article's text no longer holds these words)"]
        blocks.append("\n".join(lines))
    header = f"Fact-check: {factcheck.claim_reviewed}\n{absolute(factcheck.get_absolute_url())}\n"
    return "\n\n".join([header, *blocks]) + "\n"


def build_bundle(factcheck: FactCheck, statements: list) -> bytes:
    """The zip's bytes. `statements` are the fact-check's, as appearances_in_order gives them."""
    files: dict[str, bytes] = {
        "claimreview.json": json.dumps(claim_review(factcheck), ensure_ascii=False, indent=1).encode(),
        "article-excerpt.txt": excerpt_text(factcheck, statements).encode(),
    }
    sources = []
    for n, evidence in enumerate(factcheck.evidence.all(), start=1):
        entry = {"url": evidence.url, "title": evidence.title, "publisher": evidence.publisher,
                 "kind": evidence.kind, "accessed_at": evidence.accessed_at.isoformat(),
                 "quote": evidence.quote, "snapshot": None}
        data = None
        if evidence.snapshot:
            try:
                with evidence.snapshot.open("rb") as handle:
                    data = handle.read()
            except OSError:  # lost from storage: say so rather than fail the whole bundle
                entry["snapshot"] = {"missing": True, "sha256_when_archived": evidence.snapshot_sha256}
        if data is not None:
            suffix = PurePosixPath(evidence.snapshot.name).suffix[:10] or ".bin"
            name = f"sources/{n:02d}-{_sha256(data)[:12]}{suffix}"
            files[name] = data
            entry["snapshot"] = {"path": name, "sha256": _sha256(data),
                                 "sha256_when_archived": evidence.snapshot_sha256,
                                 "unchanged_since_archived": evidence.snapshot_sha256 in ("", _sha256(data))}
        sources.append(entry)
    manifest = {
        "format": MANIFEST_FORMAT,
        "factcheck": {"url": absolute(factcheck.get_absolute_url()),
                      "claim_reviewed": factcheck.claim_reviewed,
                      "version": factcheck.version,
                      "published_at": factcheck.published_at.isoformat() if factcheck.published_at else None,
                      "updated_at": factcheck.updated_at.isoformat()},
        "files": [{"path": path, "sha256": _sha256(data), "bytes": len(data)}
                  for path, data in sorted(files.items())],
        "sources": sources,
        "verify": "sha256sum each file listed under files; each must match.",
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in ["manifest.json", *sorted(p for p in files if p != "manifest.json")]:
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path])
    return buffer.getvalue()
