"""The national console's merge: only national administrators; a preview that writes nothing; a confirmation."""

import sqlalchemy as sa

from app.extensions import db
from tenants.models import Tenant, TenantStatus
from tests.reorg.conftest import EFFECTIVE, counts

URL = "/national/tenants/tinh-a/merge"


def _form(browser, **fields):
    return browser.post(URL, {"into": "tinh-b", "effective": EFFECTIVE.isoformat(), **fields}, token_from=URL)


def _status(slug: str) -> str:
    db.session.expire_all()
    return db.session.scalars(sa.select(Tenant.status).where(Tenant.slug == slug)).one()


def test_only_national_administrators_may_merge(browser_factory, unions, make_user):
    for email, kwargs in (("admin@tinh-a.vn", {"tenant": unions["a"], "role": "admin"}),
                          ("xem@vufo.vn", {"national_role": "national_viewer"})):
        make_user(email, **kwargs)
        browser = browser_factory()
        browser.login(email)
        assert browser.get(URL).status_code in (403, 404), email
        assert browser.post_raw(URL, {"into": "tinh-b", "effective": "2025-07-01", "submit": "1",
                                      "confirm": "y"}).status_code in (400, 403, 404)
        split = "/national/tenants/tinh-a/split"
        assert browser.get(split).status_code in (403, 404), email  # a national viewer reads, never splits
        assert browser.post_raw(split, {"into": "tinh-b", "tags": "van-hoa", "effective": "2025-07-01",
                                        "submit": "1", "confirm": "y"}).status_code in (400, 403, 404)
    assert _status("tinh-a") == TenantStatus.ACTIVE


def test_preview_then_confirm(browser, unions, make_user, eager_tasks):
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    browser.login("quan-tri@vufo.vn")
    index = browser.get("/national/").get_data(as_text=True)
    assert URL in index
    before = counts(unions["a"].id)
    shown = _form(browser, preview="1")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "tin-tuc-hoat-dong" in html and "hoi-viet-lao" in html and "bien-tap@ha-giang.vn" in html
    assert counts(unions["a"].id) == before and _status("tinh-a") == TenantStatus.ACTIVE
    unconfirmed = _form(browser, submit="1")
    assert unconfirmed.status_code == 400 and _status("tinh-a") == TenantStatus.ACTIVE
    done = _form(browser, submit="1", confirm="y")
    assert done.status_code == 302
    assert _status("tinh-a") == TenantStatus.MERGED
    refused = _form(browser, into="tinh-a", preview="1")  # a merged union is no successor any more
    assert refused.status_code == 400
