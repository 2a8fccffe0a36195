"""A successor created on the spot from the province registry (CLI and console), staff roles chosen in the preview,
and the moved news subscribers told where their list went (their unsubscribe links, old and new, keep working)."""

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Membership, User
from app.extensions import db
from app.notifications.models import OutboxMessage, Subscriber, SubscriberStatus
from app.reorg import services
from tenants.models import Province, Tenant, TenantStatus
from tenants.registry import load_provinces
from tests.reorg.conftest import EFFECTIVE, HOST_A, HOST_B, fresh

URL = "/national/tenants/tinh-a/merge"


@pytest.fixture
def registry(app):
    load_provinces()
    return {p.slug: p for p in db.session.scalars(sa.select(Province).where(Province.valid_to.is_(None)))}


def _union(slug: str) -> Tenant | None:
    db.session.expire_all()
    return db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()


def test_the_cli_creates_the_successor_from_the_province_registry(app, unions, registry):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["tenants", "merge", "tinh-a", "--into", "hai-phong", "--effective", "2025-07-01",
                              "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Liên hiệp các tổ chức hữu nghị thành phố Hải Phòng" in dry.output and "hai-phong.localhost" in dry.output
    assert _union("hai-phong") is None  # a dry run creates nothing
    done = runner.invoke(args=["tenants", "merge", "tinh-a", "--into", "hai-phong", "--effective", "2025-07-01"])
    assert done.exit_code == 0, done.output
    created = _union("hai-phong")
    assert created is not None and created.province_id == registry["hai-phong"].id
    assert created.primary_domain.host == "hai-phong.localhost"
    assert (fresh(unions["a"]).status, fresh(unions["a"]).successor_id) == (TenantStatus.MERGED, created.id)
    unknown = runner.invoke(args=["tenants", "merge", "tinh-b", "--into", "khong-co", "--effective", "2025-07-01"])
    assert unknown.exit_code != 0 and "khong-co" in unknown.output


def test_the_console_offers_a_new_union_for_a_unit_without_one_and_creates_it(browser, unions, registry, make_user,
                                                                              eager_tasks):
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    browser.login("quan-tri@vufo.vn")
    form = browser.get(URL).get_data(as_text=True)
    choice = f"province:{registry['hai-phong'].id}"
    assert f'value="{choice}"' in form
    fields = {"into": choice, "host": "lhhn-haiphong.localhost", "effective": EFFECTIVE.isoformat()}
    shown = browser.post(URL, {**fields, "preview": "1"}, token_from=URL)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "lhhn-haiphong.localhost" in html and "thành phố Hải Phòng" in html
    assert _union("hai-phong") is None  # the preview writes nothing
    done = browser.post(URL, {**fields, "submit": "1", "confirm": "y"}, token_from=URL)
    assert done.status_code == 302
    created = _union("hai-phong")
    assert created is not None and created.primary_domain.host == "lhhn-haiphong.localhost"
    assert fresh(unions["a"]).successor_id == created.id
    assert f'value="{choice}"' not in browser.get("/national/tenants/tinh-b/merge").get_data(as_text=True)
    page = browser.get("/", host="lhhn-haiphong.localhost")
    assert page.status_code == 200  # a live site with its standard pages


def _roles(email: str) -> dict[int, str]:
    db.session.expire_all()
    return dict(db.session.execute(sa.select(Membership.tenant_id, Membership.role).join(User)
                                   .where(User.email == email)).all())


def test_staff_roles_chosen_in_the_preview(browser, unions, make_user, eager_tasks):
    a, b = unions["a"], unions["b"]
    make_user("bao-cao@ha-giang.vn", tenant=a, role="reporter")
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    browser.login("quan-tri@vufo.vn")
    fields = {"into": "tinh-b", "effective": EFFECTIVE.isoformat()}
    html = browser.post(URL, {**fields, "preview": "1"}, token_from=URL).get_data(as_text=True)
    editor = db.session.scalar(sa.select(User.id).where(User.email == "bien-tap@ha-giang.vn"))
    reporter = db.session.scalar(sa.select(User.id).where(User.email == "bao-cao@ha-giang.vn"))
    both = db.session.scalar(sa.select(User.id).where(User.email == "chung@example.vn"))
    assert f'name="staff-{editor}"' in html and f'name="staff-{reporter}"' in html
    assert f'name="staff-{both}"' not in html  # already the successor's: keeps their role there
    done = browser.post(URL, {**fields, "submit": "1", "confirm": "y", f"staff-{editor}": "author",
                              f"staff-{reporter}": services.NO_ACCESS}, token_from=URL)
    assert done.status_code == 302
    assert _roles("bien-tap@ha-giang.vn") == {a.id: "editor", b.id: "author"}
    assert _roles("bao-cao@ha-giang.vn") == {a.id: "reporter"}  # no access to the successor
    assert _roles("chung@example.vn")[b.id] == "admin"


def test_a_bad_staff_role_refuses_the_merge(unions):
    editor = db.session.scalar(sa.select(User.id).where(User.email == "bien-tap@ha-giang.vn"))
    with pytest.raises(services.MergeError):
        services.merge_unions([unions["a"]], unions["b"], EFFECTIVE, staff_roles={editor: "boss"})
    assert fresh(unions["a"]).status == TenantStatus.ACTIVE


def _outbox(tenant_id: int) -> list[OutboxMessage]:
    from tenants.context import tenant_context

    with tenant_context(tenant_id):
        rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.event_type == "subscription.moved")
                                  .order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def test_moved_subscribers_are_told_and_their_links_keep_working(browser, unions):
    from app.notifications.subscriptions import unsubscribe_token
    from tenants.context import tenant_context

    a, b = unions["a"], unions["b"]
    with tenant_context(a.id):
        moved = db.session.scalars(sa.select(Subscriber).where(Subscriber.email == "chi-ha-giang@example.vn")).one()
        old_link = f"/huy-dang-ky/{unsubscribe_token(moved)}"  # in the e-mails the predecessor sent before
        moved_id = moved.id
    db.session.rollback()
    [operation] = services.merge_unions([a], b, EFFECTIVE)
    assert operation.counts["subscribers_told"] == 1
    [message] = _outbox(b.id)  # ban-doc@ was on both lists: nothing changes for them
    assert message.to_address == "chi-ha-giang@example.vn"
    raw = message.raw_message
    assert "List-Unsubscribe" in raw
    import email
    from email import policy

    parsed = email.message_from_string(raw, policy=policy.default)
    assert "Liên hiệp các tổ chức hữu nghị tỉnh B" in parsed["Subject"]
    text = parsed.get_body(("plain",)).get_content()
    assert "01/07/2025" in text and "tỉnh A" in text
    new_link = re.search(r"https?://" + re.escape(HOST_B) + r"[^\s]*/huy-dang-ky/[^\s]+", text).group(0)
    path = "/" + new_link.split("/", 3)[3]
    # The old link, on the old host, goes to the successor and still unsubscribes.
    moved_link = browser.get(old_link, host=HOST_A)
    assert moved_link.status_code == 301 and HOST_B in moved_link.headers["Location"]
    assert browser.get(old_link, host=HOST_B).status_code == 200
    assert browser.get(path, host=HOST_B).status_code == 200
    with tenant_context(b.id):
        sub = db.session.get(Subscriber, moved_id)
        assert sub is not None and sub.status == SubscriberStatus.CONFIRMED
    db.session.rollback()
    done = browser.post_raw(old_link, {}, host=HOST_B)  # one click (RFC 8058) on the old link
    assert done.status_code == 200
    with tenant_context(b.id):
        assert db.session.get(Subscriber, moved_id).status == SubscriberStatus.UNSUBSCRIBED
    db.session.rollback()
    other = _outbox(a.id)
    assert other == []  # nothing was queued as the predecessor's


def test_a_new_union_needs_a_free_domain_and_a_unit_whose_union_exists_is_not_offered(browser, unions, registry,
                                                                                       make_user, make_tenant):
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    make_tenant("tuyen-quang")  # the union that continues the unit already (no province set on it)
    browser.login("quan-tri@vufo.vn")
    form = browser.get(URL).get_data(as_text=True)
    assert f'value="province:{registry["tuyen-quang"].id}"' not in form
    taken = browser.post(URL, {"into": f"province:{registry['hai-phong'].id}", "host": "tinh-b.localhost",
                               "effective": EFFECTIVE.isoformat(), "preview": "1"}, token_from=URL)
    assert taken.status_code == 400 and "tinh-b.localhost" in taken.get_data(as_text=True)
    assert _union("hai-phong") is None
