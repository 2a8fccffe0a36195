"""Demo menus: the national default menu (Vietnamese and English) that every union shows, and Đắk Lắk's own menu,
which adds its photo albums and a link to the provincial portal. Loading again changes nothing."""

import sqlalchemy as sa

from app.extensions import db
from app.pages.models import Page
from app.site.models import MenuItem, MenuTemplateItem
from tenants.context import tenant_context
from tenants.models import Tenant

ABOUT = ("gioi-thieu", (("page", "gioi-thieu/chuc-nang-nhiem-vu", "Chức năng, nhiệm vụ", "Functions and duties"),
                        ("page", "gioi-thieu/co-cau-to-chuc", "Cơ cấu tổ chức", "Organisation"),
                        ("page", "gioi-thieu/lich-su", "Lịch sử", "History")))

# (label vi, label en, kind, target, children as (kind, target, label vi, label en)); a page by its path
DEFAULT = (
    ("Trang chủ", "Home", "section", "home", ()),
    ("Giới thiệu", "About us", "page", ABOUT[0], ABOUT[1]),
    ("Tin tức", "News", "section", "news", ()),
    ("Văn bản", "Documents", "section", "documents", ()),
    ("Hội thành viên", "Member organisations", "section", "members", ()),
    ("Viện trợ", "Foreign aid", "section", "aid", ()),
    ("Liên hệ", "Contact", "page", "lien-he", ()),
)

OWN_UNION = "dak-lak"
OWN = (
    ("Trang chủ", "Home", "section", "home", ()),
    ("Giới thiệu", "About us", "page", ABOUT[0], ABOUT[1]),
    ("Tin tức – Sự kiện", "News and events", "section", "news", ()),
    ("Album ảnh", "Photo albums", "section", "albums", ()),
    ("Hội thành viên", "Member organisations", "section", "members",
     (("section", "partners", "Địa phương kết nghĩa", "Partner localities"),)),
    ("Văn bản", "Documents", "section", "documents", ()),
    ("Liên kết", "Links", "url", "https://daklak.gov.vn/",
     (("url", "https://daklak.gov.vn/", "Cổng thông tin điện tử tỉnh Đắk Lắk", "Dak Lak provincial portal"),
      ("url", "https://vufo.org.vn/", "Liên hiệp các tổ chức hữu nghị Việt Nam", "VUFO"))),
    ("Liên hệ", "Contact", "page", "lien-he", ()),
)


def load_menus() -> int:
    """The default menu and Đắk Lắk's own (each only if there is none yet); the number of items made."""
    made = 0
    for locale in ("vi", "en"):
        if not db.session.scalar(sa.select(sa.func.count(MenuTemplateItem.id))
                                 .where(MenuTemplateItem.locale == locale)):
            made += _default(locale)
    union = db.session.scalars(sa.select(Tenant).where(Tenant.slug == OWN_UNION)).first()
    if union is not None:
        with tenant_context(union.id):
            for locale in ("vi", "en"):
                if not db.session.scalar(sa.select(sa.func.count(MenuItem.id)).where(MenuItem.locale == locale)):
                    made += _own(locale)
    db.session.commit()
    return made


def _label(vi: str, en: str, locale: str) -> str:
    return vi if locale == "vi" else en


def _default(locale: str) -> int:
    made = 0
    for position, (vi, en, kind, target, children) in enumerate(DEFAULT):
        top = MenuTemplateItem(locale=locale, position=position, label=_label(vi, en, locale), kind=kind,
                               target=target)
        db.session.add(top)
        db.session.flush()
        made += 1
        for child_position, (child_kind, key, child_vi, child_en) in enumerate(children):
            db.session.add(MenuTemplateItem(locale=locale, position=child_position, parent_id=top.id,
                                            kind=child_kind, target=key, label=_label(child_vi, child_en, locale)))
            made += 1
    return made


def _page_id(path: str) -> int | None:
    node = None
    for slug in path.split("/"):
        parent = Page.parent_id.is_(None) if node is None else Page.parent_id == node
        node = db.session.scalar(sa.select(Page.id).where(parent, Page.slug == slug, Page.translation_of_id.is_(None)))
        if node is None:
            return None
    return node


def _item(locale: str, position: int, label: str, kind: str, target: str, parent_id: int | None) -> MenuItem | None:
    item = MenuItem(locale=locale, position=position, label=label, kind=kind, parent_id=parent_id)
    if kind == "page":
        item.target_id = _page_id(target)
        if item.target_id is None:
            return None
    else:
        item.target = target
    db.session.add(item)
    db.session.flush()
    return item


def _own(locale: str) -> int:
    made = 0
    for position, (vi, en, kind, target, children) in enumerate(OWN):
        top = _item(locale, position, _label(vi, en, locale), kind, target, None)
        if top is None:
            continue
        made += 1
        for child_position, (child_kind, child_target, child_vi, child_en) in enumerate(children):
            made += _item(locale, child_position, _label(child_vi, child_en, locale), child_kind, child_target,
                          top.id) is not None
    return made
