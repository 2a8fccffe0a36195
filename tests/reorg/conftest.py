"""Two unions to merge: A (the predecessor) and B (the successor), with a clash of every kind."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reorg.rules import RULES
from tenants.models import Tenant
from tenants.scoping import all_tenants

EFFECTIVE = date(2025, 7, 1)
HOST_A, HOST_B = "tinh-a.localhost", "tinh-b.localhost"


def counts(tenant_id: int) -> dict[str, int]:
    with all_tenants("test: counting rows"):
        found = {table: db.session.execute(sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"),
                                           {"t": tenant_id}).scalar_one() for table in RULES}
    db.session.rollback()
    return found


def fresh(tenant: Tenant) -> Tenant:
    db.session.expire_all()
    return db.session.get(Tenant, tenant.id)


@pytest.fixture
def unions(tenant_a, tenant_b, make_article, make_category, make_page, make_member, make_partner, make_agreement,
           make_document, make_media, make_subscriber, make_user, make_aid_project):
    """A (the predecessor) and B (the successor), with a clash of every kind the preview reports."""
    ids = {}
    shared_a = make_category(tenant_a, "Tin tức hoạt động")
    ids["shared_a"] = shared_a.id  # plain values: the rows are the tenants' and expire with each commit
    own_a = make_category(tenant_a, "Hà Giang xưa và nay")
    shared_b = make_category(tenant_b, "Tin tức hoạt động")
    ids["shared_b"] = shared_b.id
    link = f'<p>Xem <a href="http://{HOST_A}/tin-tuc/">tin cũ</a>.</p>'
    first = make_article(tenant_a, "Giao lưu hữu nghị biên giới", category=shared_a, tags=("Hữu nghị", "Biên giới"),
                         body=link)
    ids["first"] = first.id
    make_article(tenant_a, "Friendship exchange at the border", category=shared_a, locale="en", original=first)
    ids["second"] = make_article(tenant_a, "Lễ hội Khèn Mông", category=own_a, tags=("Văn hóa",)).id
    make_article(tenant_b, "Tin của Tuyên Quang", category=shared_b, tags=("Hữu nghị",))
    about = make_page(tenant_a, "Giới thiệu", slug="gioi-thieu")
    make_page(tenant_a, "Chức năng, nhiệm vụ", parent=about, slug="chuc-nang-nhiem-vu")
    make_page(tenant_b, "Giới thiệu", slug="gioi-thieu")
    make_member(tenant_a, "Hội hữu nghị Việt – Trung", slug="hoi-viet-trung")
    make_member(tenant_a, "Hội hữu nghị Việt – Lào", slug="hoi-viet-lao")
    make_member(tenant_b, "Hội hữu nghị Việt – Lào", slug="hoi-viet-lao")
    make_agreement(tenant_a, make_partner(tenant_a, "Vân Nam"), "Biên bản hợp tác 2023–2027")
    document = make_document(tenant_a, "Kế hoạch đối ngoại nhân dân năm 2025")
    media = make_media(tenant_a)
    make_subscriber(tenant_a, "ban-doc@example.vn")
    make_subscriber(tenant_a, "chi-ha-giang@example.vn")
    make_subscriber(tenant_b, "ban-doc@example.vn")
    make_aid_project(tenant_a, "Trường học vùng cao")
    make_user("bien-tap@ha-giang.vn", tenant=tenant_a, role="editor")
    make_user("admin@tuyen-quang.vn", tenant=tenant_b, role="admin")
    both = make_user("chung@example.vn", tenant=tenant_b, role="admin")
    from app.accounts.models import Membership

    db.session.add(Membership(user_id=both.id, tenant_id=tenant_a.id, role="author"))
    db.session.commit()
    return {"a": tenant_a, "b": tenant_b, "document": document.id, "media": media.id, "key": media.storage_key,
            "file": document.file_path.split("/", 1)[1], **ids}

