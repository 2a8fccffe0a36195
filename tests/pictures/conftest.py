import pytest
import sqlalchemy as sa

from app.extensions import db
from app.news.models import Article
from tenants.context import tenant_context
from tests.fixtures.media import jpeg_bytes

HOST_A = "tinh-a.localhost"


@pytest.fixture
def editor_a(browser, make_user, tenant_a):
    make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    browser.login("bien-tap@a.vn")
    return browser


@pytest.fixture
def story(make_article):
    """make_article, answering the new article's id (read in its tenant)."""

    def make(tenant, title: str, **kwargs) -> int:
        article = make_article(tenant, title, **kwargs)
        with tenant_context(tenant.id):
            return article.id

    return make


@pytest.fixture
def wide_photo(make_media, tenant_a):
    """A 1600 × 900 library image of A: renditions at 320, 640 and 1280 px."""
    return make_media(tenant_a, "le-ky-niem.jpg", jpeg_bytes(1600, 900), alt_text="Lễ kỷ niệm ngày thành lập")


def set_cover(tenant, article_id: int, url: str, alt: str) -> None:
    with tenant_context(tenant.id):
        article = db.session.get(Article, article_id)
        article.cover_url, article.cover_alt = url, alt
        db.session.commit()


def stored_cover(tenant, article_id: int) -> tuple:
    with tenant_context(tenant.id):
        return db.session.execute(sa.select(Article.cover_url, Article.cover_alt)
                                  .where(Article.id == article_id)).one()
