"""Staff of tenant A (author, editor, admin, reporter), a category, and a recorder of editorial signals."""

from types import SimpleNamespace

import pytest

from app.news import signals


@pytest.fixture
def staff(make_user, tenant_a):
    return {role: make_user(f"{role}@tinh-a.vn", tenant=tenant_a, role=role)
            for role in ("admin", "editor", "author", "reporter")}


@pytest.fixture
def category(make_category, tenant_a):
    """A's category as plain values (ORM objects expire between the test's requests)."""
    made = make_category(tenant_a, "Tin hoạt động")
    return SimpleNamespace(id=made.id, name=made.name_vi)


@pytest.fixture
def sent():
    """Every editorial signal sent during the test: (name, article id, actor id or None, extra kwargs)."""
    events = []
    receivers = []
    for name in ("article_submitted", "article_returned", "article_approved", "article_published",
                 "article_unpublished"):
        def receiver(article, _name=name, actor=None, **extra):
            events.append((_name, article.id, actor.id if actor is not None else None, extra))
        getattr(signals, name).connect(receiver)
        receivers.append((name, receiver))
    yield events
    for name, receiver in receivers:
        getattr(signals, name).disconnect(receiver)


def article_form(category, **overrides):
    data = {"title": "Hội nghị tổng kết công tác đối ngoại nhân dân", "summary": "Tóm tắt.",
            "body_html": "<p>Nội dung <strong>đậm</strong>.</p>", "category_id": str(category.id),
            "tags": "Đối ngoại, Hữu nghị", "source_line": "Nguồn tin: Trịnh Thu", "cover_media_id": "0",
            "cover_alt": "", "locale": "vi", "translation_of_id": "0"}
    data.update(overrides)
    return data


@pytest.fixture
def make_article(make_article):
    """The news factory, answering plain values (id, title) that stay readable between requests."""

    def make(*args, **kwargs):
        article = make_article(*args, **kwargs)
        return SimpleNamespace(id=article.id, title=article.title, tenant_id=article.tenant_id)

    return make
