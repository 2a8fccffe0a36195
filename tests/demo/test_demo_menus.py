"""The demo's menus: the national default for every union, Đắk Lắk's own beside it; loading twice adds nothing."""

import re

import sqlalchemy as sa

from app.demo.loader import load_demo
from app.demo.menus import load_menus
from app.extensions import db
from app.site.models import MenuItem, MenuTemplateItem
from tenants.scoping import all_tenants


def count(model) -> int:
    with all_tenants("test: demo menus"):
        return db.session.scalar(sa.select(sa.func.count(model.id)))


def header(response) -> str:
    return re.search(r'<nav class="site-nav".*?</nav>', response.get_data(as_text=True), re.S).group(0)


def test_default_menu_and_dak_laks_own(browser):
    load_demo()
    first = (count(MenuTemplateItem), count(MenuItem))
    assert load_menus() == 0 and (count(MenuTemplateItem), count(MenuItem)) == first
    assert {row for row in db.session.scalars(sa.select(MenuTemplateItem.locale))} == {"vi", "en"}
    own = header(browser.get("/", host="dak-lak.localhost"))
    default = header(browser.get("/", host="vinh-phuc.localhost"))
    assert "Album ảnh" in own and 'href="https://daklak.gov.vn/"' in own and "Album ảnh" not in default
    for html in (own, default):
        assert 'href="/trang/gioi-thieu/lich-su"' in html and 'aria-expanded="false"' in html
    english = header(browser.get("/?lang=en", host="vinh-phuc.localhost"))
    assert "About us" in english and "Functions and duties" in english
