"""The JSON ingest API for other newsroom tools, authenticated by a bearer token.

    POST /api/articles/        {"url": "https://..."}  or  {"text": "...", "title": ..., ...}
        201 {"id": ..., "created": true, ...}       a new article, extraction queued
        200 {"id": ..., "created": false, ...}      already ingested (maybe a new version)
        4xx {"error": "one-line reason"}
    GET  /api/articles/<id>/   the article's extraction status and statements

Tokens are created with `manage.py create_api_token USER --name TOOL` and act as USER.
There is no session and so no CSRF: a request carries its credential in a header a
browser never adds by itself.
"""

from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from factcheck.ingest.importers import IngestRefused, ingest_record, parse_json
from factcheck.models import ApiToken, Article


def _error(message: str, status: int, **headers) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def token_required(permission: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            scheme, _, key = request.headers.get("Authorization", "").partition(" ")
            token = ApiToken.authenticate(key.strip()) if scheme.lower() == "bearer" else None
            if token is None:
                return _error("Send a valid API token: Authorization: Bearer <key>.", 401,
                              WWW_Authenticate='Bearer realm="factcheck"')
            if not token.user.has_perm(permission):
                return _error(f"This token's user lacks the {permission} permission.", 403)
            request.user = token.user
            request.api_token = token
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@csrf_exempt
@require_http_methods(["POST"])
@token_required("factcheck.add_article")
def articles(request):
    if request.content_type != "application/json":
        return _error("Send JSON with Content-Type: application/json.", 415)
    try:
        body = request.body
    except RequestDataTooBig:
        return _error("The request body is too large.", 413)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _error("The body is not valid UTF-8.", 400)
    try:
        # Hostile JSON (100,000 nested brackets, a lone surrogate, a date that overflows) is
        # refused with a 400 by the checks every door shares.
        outcome = ingest_record(parse_json(text), by=request.user, source=Article.Source.API)
    except IngestRefused as exc:
        return _error(str(exc), exc.status)
    data = outcome.as_dict()
    data["page"] = request.build_absolute_uri(data["page"])
    data["status_url"] = request.build_absolute_uri(reverse("api_article", args=[outcome.article.pk]))
    return JsonResponse(data, status=201 if outcome.created else 200)


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
@token_required("factcheck.view_article")
def article(request, pk):
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return _error(f"No article with id {pk}.", 404)
    statements = article.statements.select_related("speaker").order_by("start")
    return JsonResponse({
        "id": article.pk, "title": article.title, "url": article.url, "copy_of": article.copy_of_id,
        "page": request.build_absolute_uri(article.get_absolute_url()),
        "language": article.language, "extraction_status": article.extraction_status,
        "extraction_error": article.extraction_error,
        "versions": article.versions.count(),
        "statements": [{"id": s.pk, "kind": s.kind, "text": s.text, "start": s.start, "end": s.end,
                        "speaker": s.speaker.name if s.speaker else None, "score": round(s.score, 3),
                        "status": s.status} for s in statements],
    })
