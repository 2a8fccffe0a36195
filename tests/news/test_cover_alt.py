"""Item 13: a cover image is never saved without its text alternative, and the page shows that text."""

import pytest

from app.extensions import db
from app.news.models import CoverWithoutAltText
from tenants.context import tenant_context


@pytest.mark.parametrize("alt", [None, "", "   "])
def test_a_cover_without_alt_text_is_refused(tenant_a, make_article, alt):
    article = make_article(tenant_a, "Bàn giao lớp học")
    with tenant_context(tenant_a.id):
        article = db.session.merge(article)
        article.cover_url, article.cover_alt = "/static/img/lop-hoc.jpg", alt
        with pytest.raises(CoverWithoutAltText):
            db.session.commit()
        db.session.rollback()


def test_a_cover_with_alt_text_is_shown_with_it(browser, tenant_a, make_article):
    article = make_article(tenant_a, "Bàn giao lớp học")
    with tenant_context(tenant_a.id):
        article = db.session.merge(article)
        article.cover_url, article.cover_alt = "/static/img/lop-hoc.jpg", "Học sinh trước lớp học mới"
        db.session.commit()
        path = f"/tin/{article.id}/{article.slug}"
    body = browser.get(path, host="tinh-a.localhost").get_data(as_text=True)
    assert '<img src="/static/img/lop-hoc.jpg" alt="Học sinh trước lớp học mới"' in body  # not a library image
    listing = browser.get("/tin-tuc/", host="tinh-a.localhost").get_data(as_text=True)
    assert 'alt="Học sinh trước lớp học mới"' in listing
