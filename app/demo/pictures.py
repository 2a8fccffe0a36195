"""Pictures for the demo, drawn at load time with Pillow (no downloads): scene-like illustrations (a sky, land or
sea, a few shapes, a title band with the place's name), each different and the same on every load (seeded).

They go through the media library (store_upload: re-encoded, renditions), become the covers of the union's
articles and the photos of one or two albums per big demo union. Drawing stays cheap: small JPEGs, a pool of
pictures per union shared by its older stories, reused on a second load (found by file name)."""

import io
import math
import random
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from PIL import Image, ImageDraw, ImageFont

from app.albums import services as albums
from app.extensions import db
from app.media import services as media
from app.media.models import Album, MediaItem
from app.news.models import Article
from tenants.context import tenant_context
from tenants.models import Tenant

BIG_UNIONS = ("vinh-phuc", "dak-lak", "hai-duong", "tuyen-quang", "ho-chi-minh")
POOL = {"big": 8, "vufo": 6, "other": 2}
SIZE = {"big": (1280, 720), "other": (800, 450)}
_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
          "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")

# (phrase in the alt text, top colour, bottom colour)
SKIES = (("bầu trời bình minh hồng cam", (247, 170, 120), (255, 226, 180)),
         ("bầu trời trong xanh", (70, 140, 220), (190, 225, 250)),
         ("hoàng hôn đỏ rực", (200, 70, 60), (250, 190, 90)),
         ("bầu trời chiều tím nhạt", (110, 90, 170), (240, 180, 200)),
         ("trời sớm mờ sương", (160, 180, 200), (230, 236, 240)))
LANDS = ("núi", "biển", "ruộng", "phố", "đồi chè")
FEATURES = ("mặt trời", "thuyền", "đèn lồng", "cờ", "cây")
_LAND_PHRASES = {"núi": "dãy núi xanh nhiều lớp", "biển": "mặt biển xanh", "ruộng": "cánh đồng lúa bậc thang",
                 "phố": "dãy nhà phố", "đồi chè": "đồi chè xanh mướt"}
_FEATURE_PHRASES = {"mặt trời": "mặt trời tròn trên cao", "thuyền": "những cánh buồm nhỏ",
                    "đèn lồng": "dây đèn lồng đỏ", "cờ": "hàng cờ đỏ bay", "cây": "hàng cây xanh"}


@cache
def _font(size: int):
    for path in _FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def draw(seed: str, place: str, size: tuple[int, int]) -> tuple[bytes, str]:
    """A JPEG picture (at least 320 × 180) and its Vietnamese description, both decided by `seed`."""
    rng = random.Random(seed)
    width, height = size
    sky_phrase, top, bottom = rng.choice(SKIES)
    land, feature = rng.choice(LANDS), rng.choice(FEATURES)
    if feature == "thuyền":
        land = "biển"  # boats sail on water
    elif land == "biển" and feature == "cây":
        feature = "mặt trời"
    image = Image.new("RGB", size, bottom)
    pen = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.5, 0.62))
    for y in range(0, horizon, 4):  # the sky: a vertical gradient
        t = y / horizon
        pen.rectangle([0, y, width, y + 4], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    if feature == "mặt trời" or rng.random() < 0.4:
        r = int(height * rng.uniform(0.06, 0.1))
        x, y = int(width * rng.uniform(0.55, 0.9)), int(horizon * rng.uniform(0.2, 0.55))
        pen.ellipse([x - r, y - r, x + r, y + r], fill=(255, 236, 160))
    _land(pen, rng, land, width, height, horizon)
    _feature(pen, rng, feature, width, height, horizon)
    band = int(height * 0.14)
    shade = rng.choice(((11, 61, 145), (155, 12, 35), (20, 90, 60), (60, 40, 110)))
    pen.rectangle([0, height - band, width, height], fill=shade)
    pen.text((int(width * 0.04), height - band // 2), place, fill=(255, 255, 255), font=_font(int(band * 0.45)),
             anchor="lm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    alt = (f"Tranh minh hoạ: {_LAND_PHRASES[land]} dưới {sky_phrase}, {_FEATURE_PHRASES[feature]}; "
           f"dải băng phía dưới ghi “{place}”")
    return out.getvalue(), alt


def _land(pen, rng, land: str, width: int, height: int, horizon: int) -> None:
    green = (rng.randint(40, 80), rng.randint(110, 150), rng.randint(60, 90))
    if land == "núi":
        for layer in range(3):
            shade = tuple(max(0, c - 25 * layer) for c in green)
            points, x = [(0, height)], 0
            while x < width:
                points.append((x, horizon - rng.randint(height // 30, height * 3 // 10) + layer * height // 18))
                x += rng.randint(width // 8, width // 4)
            points += [(width, horizon + layer * height // 24), (width, height)]
            pen.polygon(points, fill=shade)
    elif land == "biển":
        pen.rectangle([0, horizon, width, height], fill=(30, 100, 170))
        for y in range(horizon + 10, height, 18):
            pen.line([(rng.randint(0, width // 2), y), (rng.randint(width // 2, width), y)], fill=(120, 180, 220),
                     width=2)
    elif land == "ruộng":
        for i, y in enumerate(range(horizon, height, 28)):
            tone = (110 + (i * 13) % 60, 170 - (i * 7) % 40, 60)
            pen.rectangle([0, y, width, y + 28], fill=tone)
            pen.line([(0, y), (width, y)], fill=(80, 120, 40), width=2)
    elif land == "phố":
        pen.rectangle([0, horizon, width, height], fill=(120, 120, 130))
        x = 0
        while x < width:
            w, h = rng.randint(width // 20, width // 9), rng.randint(height // 8, height // 2)
            color = rng.choice(((235, 200, 150), (200, 210, 225), (240, 230, 200), (190, 160, 150)))
            pen.rectangle([x, horizon - h, x + w, horizon + 20], fill=color)
            for wy in range(horizon - h + 12, horizon, 22):
                pen.rectangle([x + 6, wy, x + w - 6, wy + 8], fill=(90, 110, 140))
            x += w + rng.randint(4, 20)
    else:  # đồi chè
        for i in range(4):
            y = horizon + i * (height - horizon) // 4
            box = [-width // 4 + i * width // 30, y - height // 18, width * 5 // 4 - i * width // 40, y + height // 2]
            pen.ellipse(box, fill=tuple(max(0, c - 12 * i) for c in green))


def _feature(pen, rng, feature: str, width: int, height: int, horizon: int) -> None:
    if feature == "thuyền":
        for _ in range(rng.randint(2, 4)):
            x, y = rng.randint(0, width - 80), rng.randint(horizon - 30, horizon + 40)
            pen.polygon([(x, y), (x + 70, y), (x + 55, y + 16), (x + 12, y + 16)], fill=(90, 50, 30))
            pen.polygon([(x + 35, y - 70), (x + 35, y - 2), (x + 75, y - 2)], fill=(250, 245, 230))
    elif feature == "đèn lồng":
        pen.line([(0, int(height * 0.12)), (width, int(height * 0.18))], fill=(60, 40, 30), width=3)
        for i in range(1, 9):
            x = i * width // 9
            y = int(height * (0.12 + 0.06 * i / 9)) + 6
            pen.ellipse([x - 18, y, x + 18, y + 44], fill=(210, 30, 40))
            pen.rectangle([x - 8, y + 42, x + 8, y + 48], fill=(240, 200, 60))
    elif feature == "cờ":
        for i in range(5):
            x = width // 8 + i * width // 7
            pen.line([(x, horizon + 30), (x, horizon - 150)], fill=(70, 70, 70), width=4)
            pen.rectangle([x, horizon - 150, x + 70, horizon - 105], fill=(218, 37, 29))
            pen.polygon(_star(x + 35, horizon - 127, 13), fill=(255, 205, 0))
    elif feature == "cây":
        for _ in range(rng.randint(5, 9)):
            x, y = rng.randint(0, width), rng.randint(horizon, horizon + 60)
            pen.rectangle([x - 4, y - 10, x + 4, y + 30], fill=(90, 60, 40))
            pen.ellipse([x - 30, y - 70, x + 30, y], fill=(40, 120, 60))


def _star(cx: int, cy: int, r: int) -> list[tuple[float, float]]:
    """A five-pointed star (outer radius r), point up."""
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    return points


def _pool(tenant: Tenant, kind: str) -> list[MediaItem]:
    """The union's demo pictures, drawn and stored the first time, found by file name afterwards."""
    place = tenant.name_vi.replace("Liên hiệp các tổ chức hữu nghị ", "").removeprefix("tỉnh ")
    size = SIZE["big" if kind != "other" else "other"]
    names = [f"demo-{tenant.slug}-{n + 1}.jpg" for n in range(POOL[kind])]
    have = {item.original_name: item for item in db.session.scalars(
        sa.select(MediaItem).where(MediaItem.original_name.in_(names)))}
    pool = []
    for n, name in enumerate(names):
        if name not in have:
            data, alt = draw(f"{tenant.slug}:{n}", place if n % 2 == 0 else "Hữu nghị", size)
            have[name] = media.store_upload(name, data, alt_text=alt, title=f"Ảnh minh hoạ {n + 1}")
        pool.append(have[name])
    return pool


def _address(item: MediaItem) -> str:
    """media_url(item) without a request (the loader runs from the command line)."""
    return f"/media/{item.id}/{item.original_name.rsplit('.', 1)[0]}.{item.extension}"


def _covers(pool: list[MediaItem]) -> None:
    """Every article gets a cover from the pool, newest first (the home page's stories all differ)."""
    articles = db.session.scalars(sa.select(Article).order_by(Article.published_at.desc(), Article.id.desc())).all()
    versions: dict[int, list[Article]] = {}
    for article in articles:
        versions.setdefault(article.translation_of_id or article.id, []).append(article)
    originals = [a for a in articles if a.translation_of_id is None]
    for index, article in enumerate(originals):
        item = pool[index % len(pool)]
        for version in versions[article.id]:
            if not version.cover_url or version.cover_url.startswith("/media/"):
                version.cover_url, version.cover_alt = _address(item), item.alt_text
    db.session.commit()


ALBUMS = (("Hình ảnh hoạt động đối ngoại nhân dân năm 2025", "Một số hình ảnh tiêu biểu của các hoạt động "
           "giao lưu, hữu nghị trong năm.", slice(0, 6),
           ("Lễ mít tinh kỷ niệm ngày thành lập", "Đoàn đại biểu hữu nghị đến thăm địa phương",
            "Giao lưu văn nghệ cùng bạn bè quốc tế", "Trao quà cho học sinh vùng khó khăn",
            "Hội thảo hợp tác với tổ chức phi chính phủ", "Chụp ảnh lưu niệm cuối chương trình")),
          ("Giao lưu nhân dân biên giới", "Những chuyến đi kết nối tình hữu nghị giữa nhân dân hai bên.",
           slice(4, 8), ("Đón đoàn bạn tại cửa khẩu", "Thăm mô hình kinh tế hộ gia đình",
                          "Tặng sách cho thư viện trường học", "Giao hữu thể thao")))


def _albums(pool: list[MediaItem], count: int) -> None:
    from datetime import date

    from app.core.vntext import slugify

    for number, (title, description, photos, captions) in enumerate(ALBUMS[:count]):
        if db.session.scalars(sa.select(Album).where(Album.slug == slugify(title, 160))).first() is not None:
            continue
        album = albums.create(title=title, description=description, taken_on=date(2025, 10 - 3 * number, 15),
                              published=True)
        albums.add_photos(album, [item.id for item in pool[photos]])
        for photo, caption in zip(album.photos, captions, strict=False):
            photo.caption = caption
        db.session.commit()


def load_pictures(tenants: list[Tenant]) -> int:
    """Covers for every union's articles, albums for the big demo unions; how many pictures there are."""
    total = 0
    for tenant in tenants:
        kind = "big" if tenant.slug in BIG_UNIONS else "vufo" if tenant.is_national else "other"
        with tenant_context(tenant.id):
            pool = _pool(tenant, kind)
            _covers(pool)
            if kind == "big":
                _albums(pool, 2 if tenant.slug in BIG_UNIONS[:2] else 1)
            total += len(pool)
    return total
