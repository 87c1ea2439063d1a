"""Background work, through the Tasks API so the backend (database, RQ) is a setting."""

from django.db import transaction
from django_tasks import task

from factcheck.ingest.pipeline import run_extraction
from factcheck.models import Article


@task()
def extract_article(article_id: int) -> int:
    article = Article.objects.filter(pk=article_id).first()
    if article is None:  # deleted while waiting in the queue: nothing to do
        return 0
    return run_extraction(article)


def enqueue_extraction(article: Article) -> None:
    """Hand an article to the workers once the transaction that stored it has committed."""
    transaction.on_commit(lambda: extract_article.enqueue(article.pk))
