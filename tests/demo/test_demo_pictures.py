"""The demo's pictures: drawn at load time, stored in each union's library, shown as covers and in albums."""

import re

import sqlalchemy as sa

from app.demo.loader import load_demo
from app.demo.pictures import BIG_UNIONS, draw
from app.extensions import db
from app.media import services as media
from app.media.models import Album, MediaItem
from app.news.models import Article
from tenants.context import tenant_context
from tenants.models import Tenant


def test_pictures_are_deterministic_and_differ():
    first, alt = draw("dak-lak:0", "Đắk Lắk", (320, 180))
    assert draw("dak-lak:0", "Đắk Lắk", (320, 180)) == (first, alt)
    assert draw("dak-lak:1", "Đắk Lắk", (320, 180))[0] != first
    assert alt.startswith("Tranh minh hoạ") and "Đắk Lắk" in alt


def test_demo_articles_carry_covers_and_big_unions_have_albums(app, client):
    load_demo()
    union = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "dak-lak")).one()
    with tenant_context(union.id):
        covers = db.session.execute(sa.select(Article.cover_url, Article.cover_alt)).all()
        assert covers and all(url and url.startswith("/media/") and alt for url, alt in covers)
        images = db.session.scalars(sa.select(MediaItem).where(MediaItem.kind == "image")).all()
        assert len({i.sha256 for i in images}) == len(images) >= 8  # each picture different
        assert all(path.is_file() for path in media.files_of(images[0]) if path.suffix == ".jpg")
        assert db.session.scalar(sa.select(sa.func.count(Album.id)).where(Album.published)) >= 1
        count = len(images)
    for slug in BIG_UNIONS:
        tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).one()
        with tenant_context(tenant.id):
            assert db.session.scalar(sa.select(sa.func.count(Album.id))) >= 1, slug
    home = client.get("/", base_url="http://dak-lak.localhost").get_data(as_text=True)
    assert len(re.findall("<picture", home)) >= 5 and 'type="image/webp"' in home
    load_demo()  # again: nothing drawn twice
    with tenant_context(union.id):
        assert db.session.scalar(sa.select(sa.func.count(MediaItem.id))) == count
