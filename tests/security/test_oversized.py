import pytest
from django.urls import reverse

from factcheck.models import Article

pytestmark = pytest.mark.django_db


def test_a_huge_paste_gets_a_clear_4xx_and_stores_nothing(client, editor, settings):
    client.force_login(editor)
    huge = "Officials said 40 ships docked. " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 30)
    response = client.post(reverse("article_new"), {"tab": "paste", "text": huge})
    assert 400 <= response.status_code < 500
    assert b"too much data" in response.content or b"too long" in response.content
    assert not Article.objects.exists()


def test_a_paste_just_over_the_article_limit_gets_the_forms_message(client, editor, settings):
    client.force_login(editor)
    text = "x" * (settings.FACTCHECK_MAX_ARTICLE_CHARS + 1)
    response = client.post(reverse("article_new"), {"tab": "paste", "text": text})
    assert response.status_code == 413 and b"too long" in response.content
    assert not Article.objects.exists()
