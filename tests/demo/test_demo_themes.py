"""The demo's themes: every union its own colour (AA), logo and banner, drawn at load time; a reload changes nothing."""

import re

import sqlalchemy as sa

from app.demo.loader import load_demo
from app.demo.themes import draw_banner, draw_logo
from app.extensions import db
from app.media.models import MediaItem
from app.site.contrast import check_accent
from app.site.models import SiteTheme
from tenants.context import tenant_context
from tenants.models import Tenant


def _theme(slug):
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).one()
    with tenant_context(tenant.id):
        theme = db.session.scalars(sa.select(SiteTheme)).one()
        return tenant, theme.accent, theme.banner_url, theme.banner_alt, theme.footer_blocks, theme.updated_at


def test_drawings_are_deterministic():
    assert draw_logo("Đắk Lắk", "#8b2c12") == draw_logo("Đắk Lắk", "#8b2c12")
    assert draw_logo("Đắk Lắk", "#8b2c12") != draw_logo("Vĩnh Phúc", "#1d4f91")
    assert draw_banner("Đắk Lắk", "#8b2c12", "dak-lak") == draw_banner("Đắk Lắk", "#8b2c12", "dak-lak")


def test_every_demo_union_has_its_own_theme_and_vinh_phuc_differs_from_dak_lak(app, client):
    load_demo()
    vp, dl = _theme("vinh-phuc"), _theme("dak-lak")
    assert vp[1] != dl[1] and vp[0].logo_url != dl[0].logo_url and vp[2] != dl[2]
    for tenant, accent, banner, alt, blocks, _ in (vp, dl):
        assert check_accent(accent) == [] and banner.startswith("/media/") and alt and len(blocks) == 2
        assert tenant.logo_url.startswith("/media/")
    themed = db.session.scalars(sa.select(Tenant).where(Tenant.kind == "provincial", Tenant.status != "merged")).all()
    accents = set()
    for tenant in themed:
        accent = _theme(tenant.slug)[1]
        assert check_accent(accent) == [], tenant.slug
        accents.add(accent)
    assert len(accents) >= len(themed) - 3  # distinct colours, a rare hash collision aside

    homes = {slug: client.get("/", base_url=f"http://{slug}.localhost").get_data(as_text=True)
             for slug in ("vinh-phuc", "dak-lak")}
    for slug, (tenant, accent, banner, alt, _blocks, _) in (("vinh-phuc", vp), ("dak-lak", dl)):
        home = homes[slug]
        assert f'class="brand-logo" src="{tenant.logo_url}"' in home
        assert 'class="site-banner"' in home and banner.rsplit(".", 1)[0] in home, slug
        assert f'alt="{alt}"' in home and "Giờ làm việc" in home
        link = re.search(r'href="(/theme\.css\?v=[0-9a-f]+)"', home).group(1)
        assert accent in client.get(link, base_url=f"http://{slug}.localhost").get_data(as_text=True)

    with tenant_context(dl[0].id):
        count = db.session.scalar(sa.select(sa.func.count(MediaItem.id)))
    load_demo()  # again: nothing drawn twice, nothing changed
    with tenant_context(dl[0].id):
        assert db.session.scalar(sa.select(sa.func.count(MediaItem.id))) == count
    assert _theme("dak-lak")[1:] == dl[1:]
