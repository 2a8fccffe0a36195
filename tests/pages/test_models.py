"""Page tree integrity enforced by the database: unique slugs per level, same-tenant parents only."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.pages.models import Page
from tenants.context import tenant_context


def test_two_root_pages_of_a_tenant_cannot_share_a_slug(make_page, tenant_a, tenant_b):
    make_page(tenant_a, "Giới thiệu")
    make_page(tenant_b, "Giới thiệu")  # another tenant may use the same slug
    with pytest.raises(sa.exc.IntegrityError):
        make_page(tenant_a, "Giới thiệu khác", slug="giới-thiệu")
    db.session.rollback()


def test_sibling_slugs_are_unique_but_cousins_may_repeat(make_page, tenant_a):
    about = make_page(tenant_a, "Giới thiệu")
    history = make_page(tenant_a, "Lịch sử")
    make_page(tenant_a, "Liên hệ", parent=about)
    make_page(tenant_a, "Liên hệ", parent=history)
    with pytest.raises(sa.exc.IntegrityError):
        make_page(tenant_a, "Liên hệ", parent=about)
    db.session.rollback()


def test_a_parent_in_another_tenant_is_refused_by_the_foreign_key(make_page, tenant_a, tenant_b):
    foreign_parent = make_page(tenant_b, "Giới thiệu")
    with tenant_context(tenant_a.id), pytest.raises(sa.exc.IntegrityError):
        # the raw insert bypasses the ORM checks: the composite foreign key still refuses it
        db.session.execute(sa.insert(Page.__table__).values(
            tenant_id=tenant_a.id, parent_id=foreign_parent.id, slug="x", title="x", body_html="",
            locale="vi", position=0, show_in_menu=True, published=False))
        db.session.flush()
    db.session.rollback()
