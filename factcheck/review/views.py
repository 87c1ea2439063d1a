"""The editors' workbench: the queue, a statement in its article, an article."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from factcheck.models import Article, Statement
from factcheck.review.highlight import context_paragraphs, paragraphs_with_marks

reviewer_required = permission_required("factcheck.review_statement", raise_exception=True)

OPEN_STATUSES = [Statement.Status.NEW, Statement.Status.ASSIGNED]


def _get_statement_for(request, pk):
    return get_object_or_404(
        Statement.objects.select_related("article__outlet", "speaker", "assignee"), pk=pk)


@require_safe
@login_required
@reviewer_required
@vary_on_headers("HX-Request")
def queue(request):
    statements = Statement.objects.select_related("speaker", "article__outlet", "assignee")
    status = request.GET.get("status", "open")
    if status == "open":
        statements = statements.filter(status__in=OPEN_STATUSES)
    elif status in Statement.Status.values:
        statements = statements.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Statement.Kind.values:
        statements = statements.filter(kind=kind)
    q = request.GET.get("q", "").strip()[:200]
    if q:
        statements = statements.filter(Q(text__icontains=q) | Q(speaker__name__icontains=q))
    page = Paginator(statements.by_priority(), 50).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "kind": kind, "q": q,
               "statuses": Statement.Status.choices, "kinds": Statement.Kind.choices}
    template = "queue.html#results" if request.htmx else "queue.html"
    return render(request, template, context)


@require_safe
@login_required
@reviewer_required
def statement_detail(request, pk):
    statement = _get_statement_for(request, pk)
    article = statement.article
    lo, hi = context_paragraphs(article.text, statement.start, statement.end)
    parts = statement.parts or [[statement.start, statement.end]]
    spans = [(statement.pk, a - lo, b - lo) for a, b in parts]
    context = {
        "statement": statement,
        "article": article,
        "paragraphs": paragraphs_with_marks(article.text[lo:hi], spans),
        "events": statement.events.select_related("actor")[:50],
    }
    return render(request, "statement.html", context)


@require_safe
@login_required
@reviewer_required
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.select_related("outlet", "copy_of"), pk=pk)
    statements = list(article.statements.select_related("speaker").order_by("start"))
    spans = [(s.pk, a, b) for s in statements for a, b in (s.parts or [[s.start, s.end]])]
    context = {
        "article": article,
        "statements": statements,
        "paragraphs": paragraphs_with_marks(article.text, spans),
        "copies": article.copies.select_related("outlet"),
    }
    return render(request, "article.html", context)
