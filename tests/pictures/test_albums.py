"""Photo albums: the console (create, photos from the library, captions, order, delete) and the public gallery."""

import re

import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.media.models import Album, AlbumPhoto
from tenants.context import tenant_context
from tests.pictures.conftest import HOST_A

BASE = "/manage/tinh-a/albums"


def photos_of(tenant, album_id: int) -> list[tuple]:
    with tenant_context(tenant.id):
        return db.session.execute(sa.select(AlbumPhoto.media_id, AlbumPhoto.caption).where(
            AlbumPhoto.album_id == album_id).order_by(AlbumPhoto.position)).all()


def audit_actions(tenant) -> list[str]:
    with tenant_context(tenant.id):
        return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("album.%"))
                                       .order_by(AuditEntry.id)))


def test_an_album_is_built_in_the_console(editor_a, make_media, tenant_a):
    first = make_media(tenant_a, "mot.jpg", alt_text="Ảnh thứ nhất")
    second = make_media(tenant_a, "hai.jpg", alt_text="Ảnh thứ hai")
    assert editor_a.get(f"{BASE}/").status_code == 200
    assert editor_a.post(f"{BASE}/new", {"title": ""}, token_from=f"{BASE}/new").status_code == 400
    response = editor_a.post(f"{BASE}/new", {"title": "Giao lưu hữu nghị 2025", "description": "Hình ảnh.",
                                             "taken_on": "2025-10-15", "published": "y"}, token_from=f"{BASE}/new")
    assert response.status_code == 302
    with tenant_context(tenant_a.id):
        album = db.session.scalars(sa.select(Album)).one()
        album_id, slug = album.id, album.slug
    assert slug == "giao-luu-huu-nghi-2025"
    choose = editor_a.get(f"{BASE}/{album_id}/photos").get_data(as_text=True)
    assert f'value="{first.id}"' in choose and f'value="{second.id}"' in choose
    response = editor_a.post(f"{BASE}/{album_id}/photos", {"media_id": [str(first.id), str(second.id)]},
                             token_from=f"{BASE}/{album_id}/photos")
    assert response.status_code == 302
    assert [p[0] for p in photos_of(tenant_a, album_id)] == [first.id, second.id]
    assert f'value="{first.id}"' not in editor_a.get(f"{BASE}/{album_id}/photos").get_data(as_text=True)
    with tenant_context(tenant_a.id):
        photo_ids = list(db.session.scalars(sa.select(AlbumPhoto.id).order_by(AlbumPhoto.position)))
    edit = f"{BASE}/{album_id}"
    assert editor_a.post(f"{edit}/photos/{photo_ids[1]}/caption", {"caption": "Đoàn bạn đến thăm"},
                         token_from=edit).status_code == 302
    assert editor_a.post(f"{edit}/photos/{photo_ids[1]}/up", {}, token_from=edit).status_code == 302
    assert photos_of(tenant_a, album_id) == [(second.id, "Đoàn bạn đến thăm"), (first.id, "")]
    page = editor_a.get(edit).get_data(as_text=True)
    assert f'id="caption-{photo_ids[1]}"' in page and f'for="caption-{photo_ids[1]}"' in page
    assert editor_a.post(f"{edit}/photos/{photo_ids[0]}/remove", {}, token_from=edit).status_code == 302
    assert photos_of(tenant_a, album_id) == [(second.id, "Đoàn bạn đến thăm")]
    confirm = editor_a.get(f"{edit}/delete")
    assert confirm.status_code == 200 and "<form method=\"post\">" in confirm.get_data(as_text=True)
    assert editor_a.post(f"{edit}/delete", {}, token_from=f"{edit}/delete").status_code == 302
    with tenant_context(tenant_a.id):
        assert db.session.scalar(sa.select(sa.func.count(Album.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(AlbumPhoto.id))) == 0
    assert audit_actions(tenant_a) == ["album.create", "album.add_photos", "album.caption", "album.reorder",
                                       "album.remove_photo", "album.delete"]


def test_another_unions_images_are_not_added(editor_a, make_album, make_media, tenant_a, tenant_b):
    album_id, _ = make_album(tenant_a, photos=0)
    theirs = make_media(tenant_b, "cua-b.jpg")
    response = editor_a.post(f"{BASE}/{album_id}/photos", {"media_id": [str(theirs.id)]},
                             token_from=f"{BASE}/{album_id}/photos")
    assert response.status_code == 200  # nothing ticked that could be added: the choice again, with a message
    assert photos_of(tenant_a, album_id) == []


def test_the_public_gallery(client, make_album, tenant_a):
    album_id, _ = make_album(tenant_a, "Giao lưu hữu nghị", photos=3, captions=("Chú thích một",))
    hidden_id, _ = make_album(tenant_a, "Album chưa công bố", photos=1, published=False)
    listing = client.get("/album/", base_url=f"http://{HOST_A}")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert f'href="/album/{album_id}-giao-luu-huu-nghi"' in html and "Album chưa công bố" not in html
    assert html.count("<picture") == 1  # the cover: the first photo
    assert client.get(f"/album/{hidden_id}-album-chua-cong-bo", base_url=f"http://{HOST_A}").status_code == 404
    moved = client.get(f"/album/{album_id}", base_url=f"http://{HOST_A}")
    assert moved.status_code == 301 and moved.headers["Location"].endswith(f"/album/{album_id}-giao-luu-huu-nghi")
    page = client.get(f"/album/{album_id}-giao-luu-huu-nghi", base_url=f"http://{HOST_A}").get_data(as_text=True)
    links = re.findall(r'<a href="(/media/\d+/anh-\d\.jpg)" data-lightbox=', page)
    assert len(links) == 3  # each photo links to the full image: without JavaScript, the links still work
    assert page.count("<picture") == 3 and 'type="image/webp"' in page and 'loading="lazy"' in page
    assert "js/lightbox.js" in page and "data-lightbox-labels=" in page
    assert "<figcaption>Chú thích một</figcaption>" in page
    assert '<meta property="og:image" content="http://tinh-a.localhost/media/' in page
    assert 'href="/album/"' in client.get("/", base_url=f"http://{HOST_A}").get_data(as_text=True)  # a section
    sitemap = client.get("/sitemap.xml", base_url=f"http://{HOST_A}").get_data(as_text=True)
    assert f"/album/{album_id}-giao-luu-huu-nghi</loc>" in sitemap and "album-chua-cong-bo" not in sitemap


def test_an_album_is_not_shown_on_another_unions_site(client, make_album, tenant_a, tenant_b):
    album_id, _ = make_album(tenant_a, "Giao lưu hữu nghị")
    assert client.get(f"/album/{album_id}-giao-luu-huu-nghi", base_url="http://tinh-b.localhost").status_code == 404
    assert "giao-luu-huu-nghi" not in client.get("/album/", base_url="http://tinh-b.localhost").get_data(as_text=True)
