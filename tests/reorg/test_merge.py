"""Merging a union into its successor: every kind of row moves (or stays, by rule), conflicts resolve as
previewed, a failure changes nothing, a second run changes nothing, and every old URL lands on the same page."""

import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app import import_models
from app.extensions import db
from app.reorg import services
from app.reorg.rules import RULES, STAY
from tenants.models import TenantStatus
from tenants.scoping import all_tenants, scoped_models
from tests.reorg.conftest import EFFECTIVE, HOST_A, HOST_B, counts, fresh


def test_every_tenant_table_has_a_merge_rule():
    import_models()
    tables = {m.__tablename__ for m in scoped_models(db.Model.registry)}
    assert tables - set(RULES) == set(), "add a rule to app/reorg/rules.py for each new tenant table"
    assert set(RULES) - tables == set()


def test_the_preview_lists_every_move_and_conflict_and_writes_nothing(unions):
    a, b = unions["a"], unions["b"]
    before = counts(a.id), counts(b.id)
    preview = services.preview_merge(a, b, EFFECTIVE)
    assert (counts(a.id), counts(b.id)) == before
    assert fresh(a).status == TenantStatus.ACTIVE
    assert preview.moves["news_article"] == 3 and preview.moves["news_category"] == 1  # one folded
    assert preview.moves["member_organization"] == 1 and preview.moves["news_subscriber"] == 1
    clashes = {(c.table, c.key) for c in preview.conflicts}
    assert {("news_category", "tin-tuc-hoat-dong"), ("news_tag", "huu-nghi"),
            ("member_organization", "hoi-viet-lao"), ("news_subscriber", "ban-doc@example.vn")} <= clashes
    assert ("page", a.slug) in clashes  # the section the pages will go under
    assert any((m.email, m.role, m.there) == ("chung@example.vn", "author", "admin") for m in preview.staff)


def test_a_merge_moves_every_kind_of_row_and_keeps_the_history(unions):
    a, b = unions["a"], unions["b"]
    before_a, before_b = counts(a.id), counts(b.id)
    preview = services.preview_merge(a, b, EFFECTIVE)
    [operation] = services.merge_unions([a], b, EFFECTIVE)
    after_a, after_b = counts(a.id), counts(b.id)
    folded = {}
    for conflict in preview.conflicts:
        if conflict.target_id is not None:
            folded[conflict.table] = folded.get(conflict.table, 0) + 1
    for table, rule in RULES.items():
        if rule.action == STAY:
            assert after_a[table] == before_a[table], table
            continue
        assert after_a[table] == 0, f"{table} left rows behind"
        extra = 1 if table == "page" and before_a["page"] else 0  # the archive section
        assert after_b[table] == before_b[table] + before_a[table] - folded.get(table, 0) + extra, table
    a = fresh(a)
    assert (a.status, a.successor_id, a.merged_on) == (TenantStatus.MERGED, b.id, EFFECTIVE)
    assert operation.counts["rows"]["news_article"]["moved"] == 3
    assert operation.counts["staff"] == {"added": 1, "kept": 1, "left_out": 0}


def test_conflicts_resolve_as_previewed(app, unions, browser):
    a, b = unions["a"], unions["b"]
    services.merge_unions([a], b, EFFECTIVE)
    with all_tenants("test: reading the merge"):
        category = db.session.execute(sa.text("SELECT category_id FROM news_article WHERE id = :id"),
                                      {"id": unions["first"]}).scalar_one()
        tags = db.session.execute(sa.text(
            "SELECT count(DISTINCT slug) FROM news_tag WHERE tenant_id = :b AND slug = 'huu-nghi'"),
            {"b": b.id}).scalar_one()
        body = db.session.execute(sa.text("SELECT body_html FROM news_article WHERE id = :id"),
                                  {"id": unions["first"]}).scalar_one()
    db.session.rollback()
    assert category == unions["shared_b"]  # folded into the successor's category of the same slug
    assert tags == 1
    assert f"//{HOST_B}/tin-tuc/" in body and HOST_A not in body  # links to the old host rewritten
    from app.accounts.models import Membership

    roles = dict(db.session.execute(sa.select(Membership.tenant_id, Membership.role)
                                    .join(Membership.user).where(sa.text("email = 'chung@example.vn'"))).all())
    assert roles[b.id] == "admin"  # already there: kept
    editor = db.session.execute(sa.select(Membership.role).join(Membership.user).where(
        sa.text("email = 'bien-tap@ha-giang.vn'"), Membership.tenant_id == b.id)).scalar_one()
    assert editor == "editor"


def test_files_move_with_their_rows(app, unions, browser):
    a, b = unions["a"], unions["b"]
    from app.documents.services import documents_root
    from app.media import storage

    with app.app_context():
        media_root, docs_root = storage.root(), documents_root()
    key, file = unions["key"], unions["file"]
    assert list((media_root / str(a.id)).glob(f"{key}*")) and (docs_root / str(a.id) / file).is_file()
    services.merge_unions([a], b, EFFECTIVE)
    assert not list((media_root / str(a.id)).glob(f"{key}*")) and list((media_root / str(b.id)).glob(f"{key}*"))
    assert not (docs_root / str(a.id) / file).exists() and (docs_root / str(b.id) / file).is_file()
    assert browser.get(f"/van-ban/{unions['document']}/tai-ve", host=HOST_B).status_code == 200
    image = browser.get(f"/media/{unions['media']}/hoi-nghi.jpg", host=HOST_B)
    assert image.status_code == 200 and image.mimetype == "image/jpeg"


def test_running_a_merge_again_changes_nothing(unions):
    a, b = unions["a"], unions["b"]
    [first] = services.merge_unions([a], b, EFFECTIVE)
    snapshot = counts(a.id), counts(b.id)
    [again] = services.merge_unions([fresh(a)], fresh(b), EFFECTIVE)
    assert again.id == first.id
    assert (counts(a.id), counts(b.id)) == snapshot
    assert services.preview_merge(fresh(a), fresh(b), EFFECTIVE).done


def test_a_failure_midway_leaves_both_unions_untouched(app, unions, monkeypatch):
    a, b = unions["a"], unions["b"]
    before = counts(a.id), counts(b.id)
    from app.media import storage

    key = unions["key"]
    with app.app_context():
        files_a = sorted(p.name for p in (storage.root() / str(a.id)).glob(f"{key}*"))
    assert files_a

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_give_staff_roles", broken)  # after every row and file has moved
    with pytest.raises(RuntimeError):
        services.merge_unions([a], b, EFFECTIVE)
    assert (counts(a.id), counts(b.id)) == before
    assert fresh(a).status == TenantStatus.ACTIVE
    with app.app_context():
        assert sorted(p.name for p in (storage.root() / str(a.id)).glob(f"{key}*")) == files_a
        assert not list((storage.root() / str(b.id)).glob(f"{key}*"))


def test_every_url_of_the_old_sitemap_lands_on_the_same_page_of_the_successor(unions, browser, make_visit_daily):
    a, b = unions["a"], unions["b"]
    make_visit_daily(a, page_views=4200, visitors=1353)
    sitemap = browser.get("/sitemap.xml", host=HOST_A).get_data(as_text=True)
    old = sorted({urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)})
    assert any(p.startswith("/tin/") for p in old) and any(p.startswith("/trang/") for p in old)
    services.merge_unions([a], b, EFFECTIVE)
    for path in old + [f"/chuyen-muc/{unions['shared_a']}/tin-tuc-hoat-dong", "/tin-tuc/?page=1"]:
        moved = browser.get(path, host=HOST_A)
        assert moved.status_code == 301, path
        target = urlsplit(moved.headers["Location"])
        assert target.hostname == HOST_B, path
        landed = browser.get(target.path + (f"?{target.query}" if target.query else ""), host=HOST_B)
        assert landed.status_code == 200, (path, moved.headers["Location"])
    article = browser.get(f"/tin/{unions['second']}/le-hoi-khen-mong", host=HOST_A)
    assert urlsplit(article.headers["Location"]).path == f"/tin/{unions['second']}/le-hoi-khen-mong"
    moved_article = browser.get(article.headers["Location"].split(HOST_B, 1)[1], host=HOST_B).get_data(as_text=True)
    assert "Đăng bởi Liên hiệp các tổ chức hữu nghị tỉnh A (trước 01/07/2025)" in moved_article
    own = browser.get("/tin-tuc/", host=HOST_B).get_data(as_text=True)
    assert "Đăng bởi" not in own  # lists say nothing; only the moved article's page
    section = browser.get(f"/trang/{a.slug}", host=HOST_B).get_data(as_text=True)
    assert "(trước 01/07/2025)" in section
    assert "1.353 lượt truy cập (4.200 lượt xem trang) trước ngày 01/07/2025" in section  # its visits, as history


def test_the_predecessor_console_is_read_only_after_the_merge(unions, browser):
    a, b = unions["a"], unions["b"]
    services.merge_unions([a], b, EFFECTIVE)
    browser.login("bien-tap@ha-giang.vn")
    assert browser.get(f"/manage/{a.slug}/").status_code == 200
    refused = browser.post(f"/manage/{a.slug}/news/new", {"title": "Tin mới"}, token_from=f"/manage/{a.slug}/")
    assert refused.status_code == 403
    assert browser.post(f"/manage/{b.slug}/news/new", {"title": "Tin mới"},
                        token_from=f"/manage/{b.slug}/").status_code != 403  # the successor's console works


def test_a_merge_refuses_what_cannot_be_merged(unions, national):
    a, b = unions["a"], unions["b"]
    with pytest.raises(services.MergeError):
        services.preview_merge(a, a, EFFECTIVE)
    with pytest.raises(services.MergeError):
        services.merge_unions([a], national, EFFECTIVE)
    services.merge_unions([a], b, EFFECTIVE)
    with pytest.raises(services.MergeError):  # merged unions take nothing in
        services.merge_unions([b], fresh(a), EFFECTIVE)


def test_the_cli_previews_with_dry_run_then_merges(app, unions):
    a, b = unions["a"], unions["b"]
    runner = app.test_cli_runner()
    before = counts(a.id), counts(b.id)
    dry = runner.invoke(args=["tenants", "merge", a.slug, "--into", b.slug, "--effective", "2025-07-01", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "conflict news_category: tin-tuc-hoat-dong" in dry.output and "nothing was written" in dry.output
    assert (counts(a.id), counts(b.id)) == before
    bad = runner.invoke(args=["tenants", "merge", a.slug, "--into", b.slug, "--effective", "01/07/2025"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
    unknown = runner.invoke(args=["tenants", "merge", "khong-co", "--into", b.slug, "--effective", "2025-07-01"])
    assert unknown.exit_code != 0 and "khong-co" in unknown.output
    done = runner.invoke(args=["tenants", "merge", a.slug, "--into", b.slug, "--effective", "2025-07-01"])
    assert done.exit_code == 0, done.output
    assert fresh(a).status == TenantStatus.MERGED


@pytest.mark.services
def test_on_postgresql_the_merge_sees_only_its_two_unions(unions, make_tenant, make_page):
    a, b = unions["a"], unions["b"]
    other = make_tenant("tinh-c")
    make_page(other, "Trang của C", slug="trang-c")
    conn = db.session.connection()
    services._open(conn, a.id, b.id)
    seen = set(conn.execute(sa.text("SELECT DISTINCT tenant_id FROM page")).scalars())
    settings = conn.execute(sa.text("SELECT current_setting('app.all_tenants', true)")).scalar_one()
    db.session.rollback()
    assert seen == {a.id, b.id}
    assert settings in ("off", "", None)
    services.merge_unions([a], b, EFFECTIVE)
    assert counts(other.id)["page"] == 1



def test_the_portal_directory_names_the_union_merged_into_its_successor(browser, unions):
    from tenants.models import Province
    from tenants.registry import load_provinces

    load_provinces()
    a, b = unions["a"], unions["b"]
    units = {p.slug: p for p in db.session.scalars(sa.select(Province).where(Province.valid_to.is_(None)))}
    b = fresh(b)
    b.province_id = units["tuyen-quang"].id
    db.session.commit()
    services.merge_unions([fresh(a)], fresh(b), EFFECTIVE)
    html = browser.get("/").get_data(as_text=True)
    entry = html[html.index('<strong class="unit-name">Tuyên Quang</strong>'):][:1500]
    assert "trước đây: Hà Giang" in entry  # the registry: the unit continues Hà Giang
    assert "Liên hiệp các tổ chức hữu nghị tỉnh B" in entry
    assert "gồm cả Liên hiệp các tổ chức hữu nghị tỉnh A, hợp nhất từ 01/07/2025" in entry
