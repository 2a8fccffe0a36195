"""Each demo union's theme: an accent colour (checked for WCAG AA), a round logo with its initials, a wide banner
with its name, and two footer blocks. Logo and banner are drawn at load time with Pillow (no downloads) and kept in
the union's media library (found by file name on the next load, so a second load draws and changes nothing)."""

import colorsys
import hashlib
import io

import sqlalchemy as sa
from PIL import Image, ImageDraw

from app.demo.pictures import _address, _font, _star
from app.extensions import db
from app.media import services as media
from app.media.models import MediaItem
from app.site.contrast import check_accent, rgb, to_hex
from app.site.models import SiteTheme
from app.site.theme import clean_footer_blocks
from tenants.context import tenant_context
from tenants.models import Tenant

# The big demo unions' colours, each AA on white (and white on them); the others get one from their slug.
ACCENTS = {
    "vinh-phuc": "#1d4f91",    # deep blue
    "dak-lak": "#8b2c12",      # dark red-brown, the basalt soil and coffee of the Highlands
    "hai-duong": "#1e6b34",    # green
    "tuyen-quang": "#0f6b6b",  # teal
    "ho-chi-minh": "#b0122d",  # crimson
    "phu-tho": "#5b3a8c",      # purple
    "bac-ninh": "#7a4a00",     # the brown of Đông Hồ paintings
    "thai-nguyen": "#2f6b1f",  # tea green
}
LOGO_SIZE = 240
BANNER_SIZE = (1600, 400)
GOLD = (242, 194, 48)
_PREFIXES = ("Liên hiệp các tổ chức hữu nghị ", "tỉnh ", "thành phố ", "Thành phố ")

FOOTER_BLOCKS = (
    {"title": "Giờ làm việc", "html": "<p>Thứ Hai đến Thứ Sáu: sáng 7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ "
                                      "(trừ ngày lễ, Tết).</p>"},
    {"title": "Liên kết", "html": '<ul><li><a href="https://vufo.org.vn/">Liên hiệp các tổ chức hữu nghị Việt Nam'
                                  '</a></li><li><a href="https://chinhphu.vn/">Cổng Thông tin điện tử Chính phủ</a>'
                                  "</li></ul>"},
)


def place_of(tenant: Tenant) -> str:
    place = tenant.name_vi
    for prefix in _PREFIXES:
        place = place.removeprefix(prefix)
    return place


def initials(place: str) -> str:
    return "".join(word[0] for word in place.split() if word[:1].isalpha()).upper()[:3]


def accent_for(slug: str) -> str:
    """The union's colour: its own in ACCENTS, else a hue from its slug, darkened until it passes AA."""
    if slug in ACCENTS:
        return ACCENTS[slug]
    hue = int(hashlib.sha256(slug.encode()).hexdigest()[:4], 16) / 0xFFFF
    lightness = 0.34
    while True:
        colour = to_hex(*(c * 255 for c in colorsys.hls_to_rgb(hue, lightness, 0.7)))
        if not check_accent(colour) or lightness <= 0.1:
            return colour
        lightness -= 0.02


def _mix(colour: tuple, other: tuple, t: float) -> tuple[int, int, int]:
    return tuple(int(a + (b - a) * t) for a, b in zip(colour, other, strict=True))


def draw_logo(place: str, accent: str) -> bytes:
    """A round emblem: the accent disc, a gold ring, a star and the place's initials (PNG, transparent corners)."""
    size, scale = LOGO_SIZE, 3  # drawn large, scaled down: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    colour = rgb(accent)
    pen.ellipse([0, 0, big - 1, big - 1], fill=(*colour, 255))
    ring = big // 14
    pen.ellipse([ring, ring, big - ring, big - ring], outline=GOLD, width=big // 40)
    pen.polygon(_star(big // 2, big * 30 // 100, big // 9), fill=GOLD)
    letters = initials(place) or "HN"
    pen.text((big // 2, big * 62 // 100), letters, fill=(255, 255, 255),
             font=_font(big * (30 if len(letters) < 3 else 24) // 100), anchor="mm")
    out = io.BytesIO()
    image.resize((size, size), Image.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()


def draw_banner(place: str, accent: str, seed: str) -> bytes:
    """A wide picture in the union's colours: a gradient, soft circles and waves, its name in white (JPEG)."""
    width, height = BANNER_SIZE
    colour = rgb(accent)
    light = _mix(colour, (255, 255, 255), 0.45)
    deep = _mix(colour, (0, 0, 0), 0.35)
    image = Image.new("RGB", BANNER_SIZE, deep)
    pen = ImageDraw.Draw(image)
    for x in range(0, width, 4):  # left to right: deep → the accent → lighter
        t = x / width
        fill = _mix(deep, colour, t * 2) if t < 0.5 else _mix(colour, light, (t - 0.5) * 2)
        pen.rectangle([x, 0, x + 4, height], fill=fill)
    overlay = Image.new("RGBA", BANNER_SIZE, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    digest = hashlib.sha256(seed.encode()).digest()
    for i in range(6):  # circles, placed by the union's slug
        r = height // 5 + digest[i] % (height // 2)
        cx = width // 2 + (digest[i + 6] * width // 2) // 255
        cy = (digest[i + 12] * height) // 255
        shapes.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 255, 255, 28 + digest[i + 18] % 30))
    for k in range(3):  # waves along the bottom
        base = height - 40 - k * 28
        points = [(x, base + int(14 * ((x // 80 + k) % 2 * 2 - 1) * (1 if digest[k] % 2 else -1)))
                  for x in range(0, width + 80, 80)]
        shapes.line(points, fill=(*GOLD, 120 - k * 30), width=6, joint="curve")
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    pen = ImageDraw.Draw(image)
    pen.polygon(_star(130, height // 2, 62), fill=GOLD)
    pen.text((230, height // 2 - 48), "LIÊN HIỆP CÁC TỔ CHỨC HỮU NGHỊ", fill=(255, 255, 255), font=_font(34),
             anchor="lm")
    pen.text((230, height // 2 + 26), place.upper(), fill=(255, 255, 255), font=_font(76), anchor="lm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def _image(name: str, draw, *, alt: str, title: str) -> MediaItem:
    item = db.session.scalars(sa.select(MediaItem).where(MediaItem.original_name == name)).first()
    if item is None:
        item = media.store_upload(name, draw(), alt_text=alt, title=title)
    return item


def load_theme(tenant: Tenant) -> SiteTheme:
    place, accent = place_of(tenant), accent_for(tenant.slug)
    assert not check_accent(accent), (tenant.slug, accent)
    with tenant_context(tenant.id):
        logo = _image(f"theme-{tenant.slug}-logo.png", lambda: draw_logo(place, accent),
                      alt=f"Biểu trưng Liên hiệp các tổ chức hữu nghị {place}: chữ {initials(place)} trên nền tròn",
                      title="Biểu trưng")
        banner = _image(f"theme-{tenant.slug}-banner.jpg", lambda: draw_banner(place, accent, tenant.slug),
                        alt=f"Ảnh bìa: dòng chữ “Liên hiệp các tổ chức hữu nghị {place}” trên nền màu của tỉnh",
                        title="Ảnh bìa trang chủ")
        theme = db.session.scalars(sa.select(SiteTheme)).first()
        if theme is None:
            theme = SiteTheme()
            db.session.add(theme)
        blocks = clean_footer_blocks([dict(b) for b in FOOTER_BLOCKS])
        for name, value in (("accent", accent), ("banner_url", _address(banner)), ("banner_alt", banner.alt_text),
                            ("footer_blocks", blocks)):
            if getattr(theme, name) != value:
                setattr(theme, name, value)
        if not tenant.logo_url:
            tenant.logo_url = _address(logo)
        db.session.commit()
        return theme


def load_themes(tenants: list[Tenant]) -> int:
    """A theme for every provincial union given (the national portal keeps the platform's colours)."""
    count = 0
    for tenant in tenants:
        if not tenant.is_national:
            load_theme(tenant)
            count += 1
    return count
