"""The media library: what is accepted, what is refused (with a reason), what is kept, how it is served."""

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from app.extensions import db
from app.media.models import MediaItem
from tenants.context import tenant_context
from tests.fixtures.media import PDF_BYTES, docx_bytes, jpeg_bytes, png_bomb_bytes, png_rgba_bytes

HOST_A = "tinh-a.localhost"
MEDIA = "/manage/tinh-a/media/"


@pytest.fixture
def editor_a(browser, make_user, tenant_a):
    make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    browser.login("bien-tap@a.vn")
    return browser


def upload(browser, filename, data, alt="Ảnh minh họa", title=""):
    return browser.post(MEDIA, {"file": (io.BytesIO(data), filename), "alt_text": alt, "title": title},
                        token_from=MEDIA, content_type="multipart/form-data")


def items(tenant):
    with tenant_context(tenant.id):
        rows = db.session.scalars(sa.select(MediaItem)).all()
        for row in rows:
            db.session.expunge(row)  # plain, readable snapshots
        return rows


def test_an_image_is_reencoded_without_metadata_and_gets_renditions(editor_a, tenant_a):
    response = upload(editor_a, "hoi-nghi.jpg", jpeg_bytes(1500, 1000, gps=True), alt="Đại biểu dự hội nghị")
    assert response.status_code == 302
    [item] = items(tenant_a)
    assert (item.kind, item.width, item.height, item.widths) == ("image", 1500, 1000, [320, 640, 1280])
    served = editor_a.get(f"/media/{item.id}/hoi-nghi.jpg", host=HOST_A)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in served.headers[
        "Content-Security-Policy"]
    body = served.get_data()
    assert b"Exif" not in body and "phóng viên".encode() not in body and b"Secret editor" not in body
    assert not Image.open(io.BytesIO(body)).getexif()
    small = editor_a.get(f"/media/{item.id}/w640-hoi-nghi.jpg", host=HOST_A)
    assert Image.open(io.BytesIO(small.get_data())).size == (640, 427)
    assert editor_a.get(f"/media/{item.id}/w500-hoi-nghi.jpg", host=HOST_A).status_code == 404  # not a rendition


def test_orientation_is_applied_before_exif_is_dropped(make_media, tenant_a):
    item = make_media(tenant_a, "doc.jpg", jpeg_bytes(200, 100, exif_orientation=6))
    assert (item.width, item.height) == (100, 200)


def test_transparency_is_kept_as_png_and_text_chunks_dropped(make_media, tenant_a, browser):
    item = make_media(tenant_a, "logo.png", png_rgba_bytes())
    assert (item.extension, item.content_type) == ("png", "image/png")
    body = browser.get(f"/media/{item.id}/logo.png", host=HOST_A).get_data()
    assert "ghi chú ẩn".encode() not in body and Image.open(io.BytesIO(body)).mode == "RGBA"


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("anh.jpg", b"#!/bin/sh\necho pwned\n", "không phải là ảnh hợp lệ"),  # a script renamed .jpg
    ("anh.jpg", b"<html><script>alert(1)</script></html>", "không phải là ảnh hợp lệ"),
    ("anh.png", png_bomb_bytes(), "quá nhiều điểm ảnh"),  # a decompression bomb, refused before decoding
    ("anh.jpg", jpeg_bytes()[:200], "không phải là ảnh hợp lệ"),  # truncated
    ("bao-cao.pdf", b"<html><body>not a pdf</body></html>", "không phải là tài liệu .pdf"),
    ("bao-cao.docx", PDF_BYTES, "không phải là tài liệu .docx"),  # wrong type for its name
    ("cai-dat.exe", b"MZ\x90\x00", "không được chấp nhận"),
    ("hinh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "không được chấp nhận"),
    ("trang.html", b"<h1>hi</h1>", "không được chấp nhận"),
    ("rong.jpg", b"", "rỗng"),
])
def test_bad_uploads_are_refused_with_a_reason(editor_a, tenant_a, filename, data, message):
    response = upload(editor_a, filename, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert items(tenant_a) == []


def test_an_oversized_image_is_refused(editor_a, tenant_a, app, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_MAX_IMAGE_BYTES", 10_000)
    response = upload(editor_a, "lon.jpg", jpeg_bytes(1200, 900))
    assert response.status_code == 400 and "lớn hơn" in response.get_data(as_text=True)
    assert items(tenant_a) == []


def test_a_body_over_the_request_limit_gets_a_clear_page(editor_a, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 5_000)
    response = upload(editor_a, "lon.jpg", jpeg_bytes(1200, 900))
    assert response.status_code == 413 and "Quá lớn" in response.get_data(as_text=True)


def test_an_image_needs_alternative_text(editor_a, tenant_a):
    response = upload(editor_a, "anh.jpg", jpeg_bytes(), alt="  ")
    assert response.status_code == 400 and "văn bản thay thế" in response.get_data(as_text=True)
    assert items(tenant_a) == []


def test_documents_are_served_as_downloads_with_their_sniffed_type(editor_a, tenant_a):
    assert upload(editor_a, "Kế hoạch 2025.pdf", PDF_BYTES, alt="").status_code == 302
    assert upload(editor_a, "bien-ban.docx", docx_bytes(), alt="").status_code == 302
    pdf, docx = sorted(items(tenant_a), key=lambda i: i.id)
    served = editor_a.get(f"/media/{pdf.id}/x", host=HOST_A)
    assert served.mimetype == "application/pdf" and served.headers["Content-Disposition"].startswith("attachment")
    assert "filename*=UTF-8''K%E1%BA%BF" in served.headers["Content-Disposition"]
    assert docx.content_type.endswith("wordprocessingml.document")


def test_alt_text_can_be_changed_but_not_emptied(editor_a, make_media, tenant_a):
    item = make_media(tenant_a)
    path = f"{MEDIA}{item.id}"
    assert editor_a.post(path, {"alt_text": "Mô tả mới", "title": "Ảnh hội nghị"}, token_from=path).status_code == 302
    refused = editor_a.post(path, {"alt_text": "", "title": "x"}, token_from=path)
    assert refused.status_code == 400
    assert [i.alt_text for i in items(tenant_a)] == ["Mô tả mới"]


def test_delete_asks_first_then_removes_row_and_files(editor_a, make_media, tenant_a, app):
    item = make_media(tenant_a)
    from app.media import services

    with tenant_context(tenant_a.id):
        paths = services.files_of(db.session.get(MediaItem, item.id))
    stored = [p for p in paths if p.suffix != ".webp"]  # WebP copies are made on their first request
    assert all(p.is_file() for p in stored) and len(stored) == 3  # 800 px wide: the original, 320 and 640
    assert len(paths) == 6
    confirm = editor_a.get(f"{MEDIA}{item.id}/delete")
    assert confirm.status_code == 200 and "không thể hoàn tác" in confirm.get_data(as_text=True)
    assert items(tenant_a) != []
    assert editor_a.post(f"{MEDIA}{item.id}/delete", {}, token_from=f"{MEDIA}{item.id}/delete").status_code == 302
    assert items(tenant_a) == [] and not any(p.exists() for p in paths)


def test_authors_upload_but_cannot_delete_and_reporters_cannot_upload(browser, browser_factory, make_user, make_media,
                                                                      tenant_a):
    item = make_media(tenant_a)
    make_user("tac-gia@a.vn", tenant=tenant_a, role="author")
    browser.login("tac-gia@a.vn")
    assert upload(browser, "moi.jpg", jpeg_bytes()).status_code == 302
    assert browser.get(f"{MEDIA}{item.id}/delete").status_code == 403
    make_user("bao-cao@a.vn", tenant=tenant_a, role="reporter")
    reporter = browser_factory()
    reporter.login("bao-cao@a.vn")
    assert reporter.get(MEDIA).status_code == 403


def test_library_lists_own_files_paginated(editor_a, make_media, tenant_a, tenant_b):
    for i in range(26):
        make_media(tenant_a, f"anh-{i}.jpg", jpeg_bytes(40, 30), alt_text=f"Ảnh số {i}")
    make_media(tenant_b, "cua-tinh-b.jpg", jpeg_bytes(40, 30))
    first = editor_a.get(MEDIA).get_data(as_text=True)
    assert 'rel="next" href="?page=2"' in first
    assert first.count("<tr>") == 25  # a header row and 24 items
    second = editor_a.get(MEDIA + "?page=2").get_data(as_text=True)
    assert second.count("<tr>") == 3 and "cua-tinh-b" not in first + second


def test_the_console_shows_a_unions_images_to_its_staff_only(editor_a, tenant_a, tenant_b, make_user, browser_factory):
    """On the platform host (the console) the library's thumbnails load for the union's staff; nobody else gets them
    there, and only the union's own host serves them publicly."""
    import re

    upload(editor_a, "hoi-nghi.jpg", jpeg_bytes(800, 600), alt="Đại biểu")
    page = editor_a.get(MEDIA).get_data(as_text=True)
    thumbnail = re.findall(r'<img src="([^"]+)"', page)[0]
    shown = editor_a.get(thumbnail)  # the platform host
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert "private" in shown.headers["Cache-Control"] and "public" not in shown.headers["Cache-Control"]
    make_user("bien-tap@b.vn", tenant=tenant_b, role="editor")
    other = browser_factory()
    other.login("bien-tap@b.vn")
    assert other.get(thumbnail).status_code == 404  # B's staff: not on the platform host
    assert other.get(thumbnail, host="tinh-b.localhost").status_code == 404  # nor on B's host
    assert browser_factory().get(thumbnail).status_code == 404  # anonymous on the platform host
    public = browser_factory().get(thumbnail, host=HOST_A)
    assert public.status_code == 200 and "public" in public.headers["Cache-Control"]
