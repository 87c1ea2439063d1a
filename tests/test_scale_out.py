"""The Redis/RQ configuration: an ingest runs through real Redis and two worker processes.

The workers are separate processes (`manage.py rqworker`, non-forking so spaCy loads once
per worker) pointed at the test database, as workers on other machines would be.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from factcheck.models import Article

pytestmark = [pytest.mark.postgres,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROOT = Path(__file__).resolve().parent.parent
ARTICLES = [
    'The harbour authority said on Monday that 1,200 ships had docked in 2025. "We have never '
    'been busier," the authority\'s director, Jana Holm, told reporters.',
    'Councillor Piet Vos said the new bridge cost 48 million crowns. "It was worth every crown," '
    "he said.",
    'The health board warned that waiting times had doubled since March. "We need 150 more '
    'nurses," its chair, Dr. Ines Halvorsen, said.',
    'Transport minister Ada Vance said 14 new tram lines would open by 2030. "The money is in '
    'the budget," she said.',
]


def _redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_queue(settings):
    import redis

    url = _redis_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail(f"CI=true but Redis at {url} is unreachable: {exc}")
        pytest.skip(f"needs Redis at {url}: {exc}")
    queue = f"test-{uuid.uuid4().hex[:8]}"  # this run's own queue on the shared server
    settings.RQ_QUEUES = {name: {"URL": url} for name in ("default", queue)}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default", queue]}}
    yield url, queue
    redis.Redis.from_url(url).flushdb()


def _worker(url: str, queue: str, log_path: Path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {**os.environ, "DEBUG": "1", "TASKS_BACKEND": "django_tasks_rq.RQBackend",
           "REDIS_URL": url, "DJANGO_SETTINGS_MODULE": "factcheck.settings",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "RQ_QUEUE_NAMES": f"default,{queue}"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", queue, "--job-class", "django_tasks_rq.Job",
         "--worker-class", "rq.worker.SimpleWorker", "--burst"],
        cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT)


def test_ingest_through_redis_with_two_worker_processes(redis_queue, tmp_path, settings):
    from factcheck.statements.tasks import extract_article

    url, queue = redis_queue
    task = extract_article.using(queue_name=queue)
    articles = []
    for i, text in enumerate(ARTICLES):
        article, _ = Article.objects.ingest(text=text, url=f"https://port.example/{i}")
        task.enqueue(article.pk)
        articles.append(article)
    workers = [_worker(url, queue, tmp_path / f"worker{i}.log") for i in range(2)]
    deadline = time.monotonic() + 240
    for w in workers:
        w.wait(timeout=max(1, deadline - time.monotonic()))
    logs = [(tmp_path / f"worker{i}.log").read_text() for i in range(2)]
    assert all(w.returncode == 0 for w in workers), logs
    for article in articles:
        article.refresh_from_db()
        assert article.extraction_status == "done", (article.pk, article.extraction_error, logs)
        assert article.statements.exists()
    # Both processes took part: each finished at least one of the four jobs.
    assert all("Job OK" in log or "Successfully completed" in log for log in logs), logs
