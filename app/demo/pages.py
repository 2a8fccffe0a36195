"""The demo's national template of pages, in Vietnamese and English, and each union's copies of it.

Every union follows the template, except Vĩnh Phúc, which wrote its own history page (an override, recorded):
a change of the template in the national console (/national/templates/) shows on every other union at once."""

from datetime import UTC, datetime

import sqlalchemy as sa

from app.demo import data
from app.extensions import db
from app.pages import template_sync
from app.pages.models import Page, PageTemplate
from tenants.context import tenant_context
from tenants.models import Tenant

OWN_HISTORY = "vinh-phuc"  # the union whose history page is its own

_EN = {
    "gioi-thieu": "<p>{{union}} is a member of the Viet Nam Union of Friendship Organisations. These pages present "
                  "its functions and duties, its organisation and how to reach its standing office.</p>",
    "gioi-thieu/chuc-nang-nhiem-vu": (
        "<h2>1. Functions</h2><p>The Union of Friendship Organisations of {{place}} is the socio-political "
        "organisation in charge of people-to-people diplomacy. It brings together the friendship associations, "
        "organisations and people of {{place}} to build friendship and cooperation with the peoples of other "
        "countries and with foreign non-governmental organisations, for peace and development.</p>"
        "<h2>2. Duties</h2><ol><li>Organise activities that deepen understanding and friendship between the people "
        "of {{place}} and other peoples, and present the province to international friends.</li>"
        "<li>Act as the focal point for mobilising and coordinating aid from foreign non-governmental "
        "organisations, with the Viet Nam Union of Friendship Organisations and the agencies concerned.</li>"
        "<li>Advise the People's Committee on matters concerning foreign non-governmental organisations and the aid "
        "programmes and projects in the province.</li>"
        "<li>Guide and support the member friendship associations.</li>"
        "<li>Propose awards for organisations and people at home and abroad who contribute to friendship work.</li>"
        "</ol>"),
    "gioi-thieu/co-cau-to-chuc": "<p>The standing office of {{union}} consists of the Presidium, the Office and the "
                                 "Centre for Friendship Cooperation, with the bilateral friendship associations as "
                                 "member organisations.</p>",
    "gioi-thieu/lich-su": "<p>{{union}} was born of the people-to-people diplomacy movement led by the Viet Nam Union "
                          "of Friendship Organisations. Congress after congress it grew with its member "
                          "associations, its twinned localities and its partner NGOs.</p>",
    "lien-he": "<p>Address: {{address}}</p><p>Phone: {{phone}}</p><p>E-mail: {{email}}</p>",
}


def _vi_bodies() -> dict[str, str]:
    return {
        "gioi-thieu": data.intro_page("{{union}}"),
        "gioi-thieu/chuc-nang-nhiem-vu": data.functions_page("{{place}}"),
        "gioi-thieu/co-cau-to-chuc": data.structure_page("{{union}}"),
        "gioi-thieu/lich-su": data.history_page("{{union}}"),
        "lien-he": "<p>Địa chỉ: {{address}}</p><p>Điện thoại: {{phone}}</p><p>Thư điện tử: {{email}}</p>",
    }


def load_template() -> None:
    """The template pages with the demo's text (a new version only when the text changed: a second load is a no-op)."""
    template_sync.ensure_defaults()
    vi = _vi_bodies()
    for template in db.session.scalars(sa.select(PageTemplate)):
        if template.key not in vi:
            continue
        before = (template.body_vi, template.body_en)
        template.body_vi, template.body_en = vi[template.key], _EN[template.key]
        if (template.body_vi, template.body_en) != before:
            template.version = (template.version or 1) + 1
    db.session.flush()


def load_pages(tenant: Tenant) -> int:
    """The union's copies of the template (made, adopted or brought up to date), Vĩnh Phúc's own history page."""
    result = template_sync.sync_tenant(tenant, create_missing=True, adopt=True)
    if tenant.slug == OWN_HISTORY:
        with tenant_context(tenant.id):
            page = db.session.scalars(sa.select(Page).where(Page.template_key == "gioi-thieu/lich-su",
                                                            Page.translation_of_id.is_(None))).first()
            if page is not None and not page.template_overridden:
                page.body_html = data.history_page(tenant.name_vi) + (
                    "<p>Năm 1997, khi tỉnh Vĩnh Phúc được tái lập, Liên hiệp kiện toàn tổ chức và mở rộng quan hệ "
                    "với các địa phương kết nghĩa của Nhật Bản, Hàn Quốc và Lào.</p>")
                page.template_overridden, page.overridden_at = True, datetime.now(UTC)
                from app.editorial import revisions
                from app.pages.models import PageRevision

                db.session.flush()
                revisions.snapshot(PageRevision, "page_id", page, None, "own history (differs from the template)")
                db.session.flush()
    db.session.commit()
    return result.created + result.updated
