"""The article's cover chosen from the union's media library in the editor (never another union's)."""

import re

import sqlalchemy as sa

from app.extensions import db
from app.news.models import Article
from tenants.context import tenant_context
from tests.pictures.conftest import set_cover, stored_cover

BASE = "/manage/tinh-a/news"


def form(category_id: int, **overrides) -> dict:
    data = {"title": "Hội nghị hữu nghị", "summary": "Tóm tắt.", "body_html": "<p>Nội dung.</p>",
            "category_id": str(category_id), "tags": "", "source_line": "", "cover_media_id": "0",
            "cover_alt": "", "locale": "vi", "translation_of_id": "0"}
    data.update(overrides)
    return data


def category_of(make_category, tenant) -> int:
    category = make_category(tenant, "Tin hoạt động")
    with tenant_context(tenant.id):
        return db.session.merge(category).id


def only_article(tenant) -> tuple:
    with tenant_context(tenant.id):
        return db.session.execute(sa.select(Article.id, Article.cover_url, Article.cover_alt)).one()


def test_the_editor_lists_the_library_images_and_stores_the_chosen_one(editor_a, make_category, wide_photo,
                                                                       tenant_a):
    category = category_of(make_category, tenant_a)
    html = editor_a.get(f"{BASE}/new").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="cover_media_id".*?</select>', html, re.S).group(0)
    assert f'<option value="{wide_photo.id}">' in select and 'value="0"' in select
    assert 'data-cover-images="/manage/tinh-a/media/images.json"' in select
    assert "js/cover-picker.js" in html and 'name="cover_url"' not in html
    response = editor_a.post(f"{BASE}/new", form(category, cover_media_id=str(wide_photo.id)),
                             token_from=f"{BASE}/new")
    assert response.status_code == 302
    article_id, url, alt = only_article(tenant_a)
    assert url == f"/media/{wide_photo.id}/le-ky-niem.jpg"
    assert alt == "Lễ kỷ niệm ngày thành lập"  # the library's description by default
    edit = editor_a.get(f"{BASE}/{article_id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{wide_photo.id}">|<option value="{wide_photo.id}" selected', edit)
    response = editor_a.post(f"{BASE}/{article_id}", form(category, cover_media_id=str(wide_photo.id),
                                                          cover_alt="Đại biểu cắt băng khánh thành"),
                             token_from=f"{BASE}/{article_id}")
    assert response.status_code == 302
    assert stored_cover(tenant_a, article_id) == (url, "Đại biểu cắt băng khánh thành")
    response = editor_a.post(f"{BASE}/{article_id}", form(category), token_from=f"{BASE}/{article_id}")
    assert response.status_code == 302 and stored_cover(tenant_a, article_id) == (None, None)


def test_another_unions_image_is_refused(editor_a, make_category, make_media, tenant_a, tenant_b):
    category = category_of(make_category, tenant_a)
    theirs = make_media(tenant_b, "anh-cua-b.jpg")
    html = editor_a.get(f"{BASE}/new").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="cover_media_id".*?</select>', html, re.S).group(0)
    assert f'value="{theirs.id}"' not in select
    response = editor_a.post(f"{BASE}/new", form(category, cover_media_id=str(theirs.id)), token_from=f"{BASE}/new")
    assert response.status_code == 400
    assert 'id="cover_media_id-errors"' in response.get_data(as_text=True)
    with tenant_context(tenant_a.id):
        assert db.session.scalar(sa.select(sa.func.count(Article.id))) == 0


def test_a_document_or_nonsense_is_not_a_cover(editor_a, make_category, make_media, tenant_a):
    from tests.fixtures.media import PDF_BYTES

    category = category_of(make_category, tenant_a)
    document = make_media(tenant_a, "ke-hoach.pdf", PDF_BYTES, alt_text="")
    for value in (str(document.id), "abc", "-1"):
        response = editor_a.post(f"{BASE}/new", form(category, cover_media_id=value), token_from=f"{BASE}/new")
        assert response.status_code == 400, value


def test_an_older_typed_cover_is_kept_until_another_is_chosen(editor_a, make_category, story, wide_photo, tenant_a):
    category = category_of(make_category, tenant_a)
    article_id = story(tenant_a, "Tin cũ có ảnh ngoài", status="draft")
    set_cover(tenant_a, article_id, "https://anh.example.vn/cu.jpg", "Ảnh cũ")
    html = editor_a.get(f"{BASE}/{article_id}").get_data(as_text=True)
    assert re.search(r'<option selected value="-1">|<option value="-1" selected', html)
    assert editor_a.post(f"{BASE}/{article_id}", form(category, cover_media_id="-1"),
                         token_from=f"{BASE}/{article_id}").status_code == 302
    assert stored_cover(tenant_a, article_id) == ("https://anh.example.vn/cu.jpg", "Ảnh cũ")
    assert editor_a.post(f"{BASE}/{article_id}", form(category, cover_media_id=str(wide_photo.id)),
                         token_from=f"{BASE}/{article_id}").status_code == 302
    assert stored_cover(tenant_a, article_id)[0] == f"/media/{wide_photo.id}/le-ky-niem.jpg"


def test_the_picker_json_names_each_image(editor_a, wide_photo):
    data = editor_a.get("/manage/tinh-a/media/images.json").get_json()
    assert data["images"][0]["id"] == wide_photo.id and data["images"][0]["thumb"].endswith("w320-le-ky-niem.jpg")
