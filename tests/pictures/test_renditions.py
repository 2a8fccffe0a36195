"""WebP copies of library images: made on the first request, kept on disk, served like the other files."""

from app.extensions import db
from app.media import services, webp
from app.media.models import MediaItem
from tenants.context import tenant_context
from tests.pictures.conftest import HOST_A


def count_encodes(monkeypatch) -> list:
    calls = []
    real = webp.encode

    def counted(source):
        calls.append(source)
        return real(source)

    monkeypatch.setattr(webp, "encode", counted)
    return calls


def test_webp_renditions_are_made_once_then_served_from_disk(client, wide_photo, monkeypatch):
    calls = count_encodes(monkeypatch)
    first = client.get(f"/media/{wide_photo.id}/w640-le-ky-niem.webp", base_url=f"http://{HOST_A}")
    assert first.status_code == 200 and first.mimetype == "image/webp"
    assert first.data[:4] == b"RIFF" and first.data[8:12] == b"WEBP"
    assert "immutable" in first.headers["Cache-Control"] and "public" in first.headers["Cache-Control"]
    assert "max-age=31536000" in first.headers["Cache-Control"]
    assert first.headers["ETag"] and first.headers["X-Content-Type-Options"] == "nosniff"
    path = webp.path_of(wide_photo, 640)
    assert path.is_file() and len(calls) == 1
    mtime = path.stat().st_mtime_ns
    second = client.get(f"/media/{wide_photo.id}/w640-le-ky-niem.webp", base_url=f"http://{HOST_A}")
    assert second.status_code == 200 and second.data == first.data
    assert len(calls) == 1 and path.stat().st_mtime_ns == mtime  # not encoded again
    again = client.get(f"/media/{wide_photo.id}/w640-le-ky-niem.webp", base_url=f"http://{HOST_A}",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    jpeg = client.get(f"/media/{wide_photo.id}/w640-le-ky-niem.jpg", base_url=f"http://{HOST_A}")
    assert jpeg.mimetype == "image/jpeg" and jpeg.headers["ETag"] != first.headers["ETag"]
    assert "immutable" in jpeg.headers["Cache-Control"]


def test_full_size_webp_and_unknown_widths(client, wide_photo):
    full = client.get(f"/media/{wide_photo.id}/le-ky-niem.webp", base_url=f"http://{HOST_A}")
    assert full.status_code == 200 and full.mimetype == "image/webp"
    from io import BytesIO

    from PIL import Image

    assert Image.open(BytesIO(full.data)).size == (1600, 900)
    assert client.get(f"/media/{wide_photo.id}/w500-le-ky-niem.webp", base_url=f"http://{HOST_A}").status_code == 404
    assert client.get("/media/999999/le-ky-niem.webp", base_url=f"http://{HOST_A}").status_code == 404


def test_another_unions_host_gets_no_webp(client, wide_photo, tenant_b):
    response = client.get(f"/media/{wide_photo.id}/w320-le-ky-niem.webp", base_url="http://tinh-b.localhost")
    assert response.status_code == 404
    assert not webp.path_of(wide_photo, 320).exists()


def test_deleting_an_image_removes_its_webp_copies(client, wide_photo, tenant_a):
    for name in ("w320-le-ky-niem.webp", "le-ky-niem.webp"):
        assert client.get(f"/media/{wide_photo.id}/{name}", base_url=f"http://{HOST_A}").status_code == 200
    made = [webp.path_of(wide_photo, 320), webp.path_of(wide_photo)]
    assert all(p.is_file() for p in made)
    with tenant_context(tenant_a.id):
        services.delete(db.session.get(MediaItem, wide_photo.id))
    assert not any(p.exists() for p in made)
