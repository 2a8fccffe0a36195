"""Splitting a part of a union off to another: what moves with the articles, what becomes of their categories and
tags, the redirects on the giving union's host, a round trip, a re-run, a failure midway, the CLI and the console."""

import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reorg import split
from app.reorg.services import MergeError
from tenants.scoping import all_tenants
from tests.reorg.conftest import EFFECTIVE, HOST_A, HOST_B, counts, fresh


def _tenant_of(table: str, row_id: int) -> int | None:
    with all_tenants("test: where a row is"):
        found = db.session.execute(sa.text(f"SELECT tenant_id FROM {table} WHERE id = :id"), {"id": row_id}).scalar()
    db.session.rollback()
    return found


def _slug_ids(table: str, tenant_id: int) -> dict[str, int]:
    with all_tenants("test: slugs"):
        found = dict(db.session.execute(sa.text(f"SELECT slug, id FROM {table} WHERE tenant_id = :t"),
                                        {"t": tenant_id}).all())
    db.session.rollback()
    return found


def _paths(sitemap: str) -> set[str]:
    return {urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)}


def test_every_table_holding_rows_of_an_article_moves_with_it():
    """A new table pointing at news_article must join split.DEPENDENTS, or a split would leave its rows behind."""
    pointing = {(t.name, fk.parent.name) for t in db.metadata.sorted_tables for fk in t.foreign_keys
                if fk.column.table.name == "news_article" and fk.parent.name != "tenant_id"
                and t.name != "news_article"}
    assert pointing == set(split.DEPENDENTS) | set(split.LINKS)


def test_a_split_moves_the_chosen_articles_and_redirects_their_addresses(unions, browser):
    a, b = unions["a"], unions["b"]
    first, second = unions["first"], unions["second"]
    old_sitemap = _paths(browser.get("/sitemap.xml", host=HOST_A).get_data(as_text=True))
    before_a, before_b = counts(a.id), counts(b.id)
    selection = split.Selection(tags=("huu-nghi",))
    preview = split.preview_split(a, b, selection, EFFECTIVE)
    assert preview.moves["news_article"] == 2  # the article and its English version
    assert counts(a.id) == before_a  # the preview wrote nothing
    operation = split.split_union(a, b, selection, EFFECTIVE)
    assert operation is not None and operation.kind == "split"
    after_a, after_b = counts(a.id), counts(b.id)
    assert after_a["news_article"] == before_a["news_article"] - 2
    assert after_b["news_article"] == before_b["news_article"] + 2
    moved_revisions = preview.moves.get("news_article_revision", 0)
    assert after_b["news_article_revision"] == before_b["news_article_revision"] + moved_revisions
    assert _tenant_of("news_article", first) == b.id and _tenant_of("news_article", second) == a.id
    assert fresh(a).status == "active"  # the giving union stays live
    # Its host answers for the moved article with the same article on the other union.
    for path in sorted(p for p in old_sitemap if p.startswith(f"/tin/{first}/")):
        moved = browser.get(path, host=HOST_A)
        assert moved.status_code == 301, path
        target = urlsplit(moved.headers["Location"])
        assert (target.hostname, target.path) == (HOST_B, path)
        assert browser.get(target.path, host=HOST_B).status_code == 200
    assert browser.get(f"/tin/{second}/le-hoi-khen-mong", host=HOST_A).status_code == 200
    assert browser.get("/tin/999999/khong-co", host=HOST_A).status_code == 404  # other 404s stay 404s
    new_sitemap = _paths(browser.get("/sitemap.xml", host=HOST_B).get_data(as_text=True))
    assert any(p.startswith(f"/tin/{first}/") for p in new_sitemap)
    page = browser.get(f"/tin/{first}/", host=HOST_B)
    page = browser.get(urlsplit(page.headers["Location"]).path, host=HOST_B) if page.status_code == 301 else page
    assert "Đăng bởi Liên hiệp các tổ chức hữu nghị tỉnh A (trước 01/07/2025)" in page.get_data(as_text=True)


def test_categories_and_tags_join_move_or_are_copied_as_previewed(unions, make_article, make_category):
    a, b = unions["a"], unions["b"]
    own = _slug_ids("news_category", a.id)["ha-giang-xua-va-nay"]
    with all_tenants("test: a category"):
        from app.news.models import Category

        category = db.session.get(Category, own)
    make_article(a, "Tin khác của Hà Giang", category=category)  # stays, in the same category
    db.session.commit()
    selection = split.Selection(tags=("van-hoa", "huu-nghi"))
    preview = split.preview_split(a, b, selection, EFFECTIVE)
    planned = {(c.table, c.key): c.action for c in preview.conflicts}
    assert planned == {("news_category", "tin-tuc-hoat-dong"): "join", ("news_category", "ha-giang-xua-va-nay"): "copy",
                       ("news_tag", "huu-nghi"): "join", ("news_tag", "van-hoa"): "move",
                       ("news_tag", "bien-gioi"): "move"}
    assert all(c.resolution for c in preview.conflicts)  # each said in words too
    tags_a_before = _slug_ids("news_tag", a.id)
    split.split_union(a, b, selection, EFFECTIVE)
    cats_a, cats_b = _slug_ids("news_category", a.id), _slug_ids("news_category", b.id)
    tags_a, tags_b = _slug_ids("news_tag", a.id), _slug_ids("news_tag", b.id)
    assert cats_a["ha-giang-xua-va-nay"] == own and cats_b["ha-giang-xua-va-nay"] != own  # copied: both have it
    assert cats_b["tin-tuc-hoat-dong"] == unions["shared_b"]  # joined
    assert tags_b["van-hoa"] == tags_a_before["van-hoa"] and "van-hoa" not in tags_a  # moved: same row
    assert "huu-nghi" in tags_a  # joined: A keeps its own (nothing uses it now)
    with all_tenants("test: reading"):
        moved_category = db.session.execute(sa.text("SELECT category_id FROM news_article WHERE id = :id"),
                                            {"id": unions["second"]}).scalar_one()
    db.session.rollback()
    assert moved_category == cats_b["ha-giang-xua-va-nay"]


def test_a_split_round_trip_and_a_rerun(unions, browser):
    a, b = unions["a"], unions["b"]
    second = unions["second"]
    by_category = split.Selection(categories=("ha-giang-xua-va-nay",))
    split.split_union(a, b, by_category, EFFECTIVE)
    assert _tenant_of("news_article", second) == b.id
    snapshot = counts(a.id), counts(b.id)
    assert split.split_union(fresh(a), fresh(b), by_category, EFFECTIVE) is None  # nothing matches any more
    assert (counts(a.id), counts(b.id)) == snapshot
    moved_category = _slug_ids("news_category", b.id)["ha-giang-xua-va-nay"]
    assert browser.get(f"/chuyen-muc/{moved_category}/", host=HOST_A).status_code == 301
    split.split_union(fresh(b), fresh(a), by_category, EFFECTIVE)  # and back
    assert _tenant_of("news_article", second) == a.id
    assert counts(a.id)["news_article"] == snapshot[0]["news_article"] + 1
    home = browser.get(f"/tin/{second}/le-hoi-khen-mong", host=HOST_A)
    assert home.status_code == 200  # no redirect loop: the article is home
    assert "Đăng bởi" not in home.get_data(as_text=True)  # back with the union that first published it
    away = browser.get(f"/tin/{second}/le-hoi-khen-mong", host=HOST_B)
    assert away.status_code == 301 and urlsplit(away.headers["Location"]).hostname == HOST_A


def test_a_failure_midway_leaves_both_unions_untouched(unions, monkeypatch):
    a, b = unions["a"], unions["b"]
    before = counts(a.id), counts(b.id)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(split, "_redirect", broken)  # after every row has moved
    with pytest.raises(RuntimeError):
        split.split_union(a, b, split.Selection(tags=("huu-nghi",)), EFFECTIVE)
    assert (counts(a.id), counts(b.id)) == before


def test_a_split_refuses_what_it_cannot_do(unions, national):
    a = unions["a"]
    with pytest.raises(MergeError):
        split.Selection()  # nothing chosen
    from datetime import date

    with pytest.raises(MergeError):
        split.Selection(since=date(2025, 2, 1), until=date(2025, 1, 1))
    with pytest.raises(MergeError):
        split.preview_split(a, a, split.Selection(tags=("huu-nghi",)), EFFECTIVE)
    with pytest.raises(MergeError):
        split.preview_split(a, national, split.Selection(tags=("huu-nghi",)), EFFECTIVE)


def test_a_date_range_chooses_by_the_day_of_publication_in_viet_nam(unions):
    a, b = unions["a"], unions["b"]
    from datetime import date, datetime

    from app.core.timeutil import VN_TZ

    with all_tenants("test: dates"):
        db.session.execute(sa.text("UPDATE news_article SET published_at = :at WHERE tenant_id = :a"),
                           {"at": datetime(2024, 3, 31, 23, 30, tzinfo=VN_TZ), "a": a.id})
        db.session.execute(sa.text("UPDATE news_article SET published_at = :at WHERE id = :id"),
                           {"at": datetime(2024, 4, 1, 0, 10, tzinfo=VN_TZ), "id": unions["second"]})
        db.session.commit()
    preview = split.preview_split(a, b, split.Selection(since=date(2024, 4, 1), until=date(2024, 4, 1)), EFFECTIVE)
    assert preview.moves["news_article"] == 1  # 00:10 on 1 April in Viet Nam is in; 23:30 the day before is not
    split.split_union(a, b, split.Selection(since=date(2024, 4, 1)), EFFECTIVE)
    assert _tenant_of("news_article", unions["second"]) == b.id
    assert _tenant_of("news_article", unions["first"]) == a.id


def test_the_cli_splits_with_a_dry_run_first(app, unions):
    a, b = unions["a"], unions["b"]
    runner = app.test_cli_runner()
    before = counts(a.id), counts(b.id)
    dry = runner.invoke(args=["tenants", "split", a.slug, "--into", b.slug, "--tag", "van-hoa",
                              "--effective", "2025-07-01", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "moves   news_article" in dry.output and "nothing was written" in dry.output
    assert (counts(a.id), counts(b.id)) == before
    empty = runner.invoke(args=["tenants", "split", a.slug, "--into", b.slug, "--effective", "2025-07-01"])
    assert empty.exit_code != 0 and "Chọn phần chuyển đi" in empty.output
    done = runner.invoke(args=["tenants", "split", a.slug, "--into", b.slug, "--tag", "van-hoa",
                               "--effective", "2025-07-01"])
    assert done.exit_code == 0, done.output
    assert _tenant_of("news_article", unions["second"]) == b.id


SPLIT_URL = "/national/tenants/tinh-a/split"


def test_the_console_split_previews_then_moves(browser, browser_factory, unions, make_user, eager_tasks):
    make_user("admin@tinh-a.vn", tenant=unions["a"], role="admin")
    outsider = browser_factory()
    outsider.login("admin@tinh-a.vn")
    assert outsider.get(SPLIT_URL).status_code in (403, 404)
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    browser.login("quan-tri@vufo.vn")
    form = browser.get(SPLIT_URL).get_data(as_text=True)
    assert 'value="van-hoa"' in form and 'value="ha-giang-xua-va-nay"' in form
    fields = {"into": "tinh-b", "tags": "van-hoa", "effective": EFFECTIVE.isoformat()}
    shown = browser.post(SPLIT_URL, {**fields, "preview": "1"}, token_from=SPLIT_URL)
    assert shown.status_code == 200 and "news_article" in shown.get_data(as_text=True)
    assert _tenant_of("news_article", unions["second"]) == unions["a"].id
    unconfirmed = browser.post(SPLIT_URL, {**fields, "submit": "1"}, token_from=SPLIT_URL)
    assert unconfirmed.status_code == 400
    nothing = browser.post(SPLIT_URL, {"into": "tinh-b", "effective": EFFECTIVE.isoformat(), "preview": "1"},
                           token_from=SPLIT_URL)
    assert nothing.status_code == 400 and "Chọn phần chuyển đi" in nothing.get_data(as_text=True)
    done = browser.post(SPLIT_URL, {**fields, "submit": "1", "confirm": "y"}, token_from=SPLIT_URL)
    assert done.status_code == 302 and "/national/tenants/runs/" in done.headers["Location"]
    run_page = browser.get(urlsplit(done.headers["Location"]).path).get_data(as_text=True)
    assert "Xong" in run_page and "news_article" in run_page
    assert _tenant_of("news_article", unions["second"]) == unions["b"].id


def test_a_split_touches_no_third_union(unions, make_tenant, make_category, make_article):
    a, b = unions["a"], unions["b"]
    other = make_tenant("tinh-c")
    make_article(other, "Tin của C", category=make_category(other, "Hà Giang xưa và nay"), tags=("Văn hóa",))
    before = counts(other.id)
    split.split_union(a, b, split.Selection(categories=("ha-giang-xua-va-nay",)), EFFECTIVE)
    assert counts(other.id) == before
    assert _slug_ids("news_category", b.id)["ha-giang-xua-va-nay"] != _slug_ids("news_category", other.id)[
        "ha-giang-xua-va-nay"]


def test_the_moved_articles_pictures_are_copied_to_the_receiver(app, tenants_pictures, browser):
    a, b, article_id, media_id = tenants_pictures
    split.split_union(a, b, split.Selection(tags=("anh",)), EFFECTIVE)
    with all_tenants("test: the moved article"):
        body, cover = db.session.execute(sa.text("SELECT body_html, cover_url FROM news_article WHERE id = :id"),
                                         {"id": article_id}).one()
        copy_id = int(re.search(r"/media/(\d+)/", body).group(1))
        owners = dict(db.session.execute(sa.text("SELECT id, tenant_id FROM media_item")).all())
    db.session.rollback()
    assert copy_id != media_id and f"/media/{copy_id}/" in cover
    assert owners == {media_id: a.id, copy_id: b.id}  # the giver keeps its own
    assert browser.get(f"/media/{copy_id}/hoi-nghi.jpg", host=HOST_B).status_code == 200
    assert browser.get(f"/media/{media_id}/hoi-nghi.jpg", host=HOST_A).status_code == 200


@pytest.fixture
def tenants_pictures(tenant_a, tenant_b, make_media, make_article):
    item = make_media(tenant_a, "hoi-nghi.jpg")
    body = f'<p>Ảnh hội nghị.</p><img src="/media/{item.id}/hoi-nghi.jpg" alt="Hội nghị">'
    article_id = make_article(tenant_a, "Hội nghị có ảnh", body=body, tags=("Ảnh",)).id
    from tenants.context import tenant_context

    with tenant_context(tenant_a.id):
        from app.news.models import Article

        row = db.session.get(Article, article_id)
        row.cover_url, row.cover_alt = f"/media/{item.id}/hoi-nghi.jpg", "Quang cảnh hội nghị"
        db.session.commit()
    return tenant_a, tenant_b, article_id, item.id
