"""Demo events calendars: a few upcoming events (dated from today, so they stay upcoming) and a few past ones per
union. Running it again updates the same rows (found by title), adds nothing."""

from datetime import time, timedelta

import sqlalchemy as sa

from app.core.timeutil import vn_today
from app.events.models import Event, EventArticle
from app.events.services import span
from app.extensions import db
from app.news.models import Article, ArticleStatus
from tenants.context import tenant_context
from tenants.models import TenantStatus

# (days from today, start hour or None for all day, length in days, kind, title, place, partners, description)
HAI_DUONG = [
    (6, 8, 1, "delegation", "Đón đoàn đại biểu tỉnh Yamanashi (Nhật Bản) sang thăm và làm việc",
     "Trụ sở UBND tỉnh", "Hội hữu nghị Nhật – Việt tỉnh Yamanashi",
     "<p>Đoàn trao đổi về hợp tác đào tạo nhân lực, nông nghiệp công nghệ cao và giao lưu thanh niên.</p>"),
    (13, None, 3, "festival", "Ngày hội Hữu nghị các dân tộc lần thứ V",
     "Quảng trường Thống Nhất", "Đại sứ quán Lào, Hàn Quốc; Hội Hữu nghị Việt – Pháp",
     "<p>Ẩm thực, trưng bày ảnh và biểu diễn văn nghệ của bạn bè quốc tế.</p>"),
    (27, 14, 1, "conference", "Hội nghị vận động viện trợ phi chính phủ nước ngoài năm 2027",
     "Hội trường Liên hiệp", "Các tổ chức phi chính phủ nước ngoài đang hoạt động tại tỉnh",
     "<p>Tổng kết công tác viện trợ và giới thiệu danh mục dự án kêu gọi tài trợ.</p>"),
    (-20, 9, 1, "exchange", "Giao lưu hữu nghị Việt – Trung với sinh viên Quảng Tây",
     "Trường Đại học Hải Dương", "Đại học Dân tộc Quảng Tây (Trung Quốc)", ""),
    (-45, 8, 2, "conference", "Hội thảo hợp tác nhân dân với các địa phương kết nghĩa",
     "Khách sạn Nam Cường", "Tỉnh Gunma (Nhật Bản), tỉnh Champasak (Lào)", ""),
]
OTHERS = {
    "vinh-phuc": [
        (9, 9, 1, "delegation", "Đoàn Hội hữu nghị Hàn – Việt tỉnh Gyeonggi thăm Vĩnh Phúc", "Nhà khách tỉnh",
         "Tỉnh Gyeonggi (Hàn Quốc)", ""),
        (-15, None, 1, "festival", "Liên hoan văn nghệ chào mừng Ngày truyền thống Liên hiệp", "Nhà văn hoá tỉnh",
         "Hội Hữu nghị Việt – Nga tỉnh", ""),
    ],
    "dak-lak": [
        (11, 8, 2, "exchange", "Giao lưu nhân dân Việt Nam – Campuchia vùng biên giới", "Huyện Buôn Đôn",
         "Tỉnh Mondulkiri (Campuchia)", ""),
        (-30, 8, 1, "conference", "Hội nghị tổng kết chương trình viện trợ nước sạch", "Hội trường Liên hiệp",
         "Tổ chức World Vision", ""),
    ],
    "tuyen-quang": [
        (18, 8, 1, "delegation", "Đoàn Hội hữu nghị Lào – Việt Nam tỉnh Oudomxay thăm Tuyên Quang",
         "Khu di tích Tân Trào", "Tỉnh Oudomxay (Lào)", ""),
    ],
}


def _related_article() -> int | None:
    return db.session.scalar(sa.select(Article.id).where(Article.status == ArticleStatus.PUBLISHED,
                                                         Article.translation_of_id.is_(None))
                             .order_by(Article.published_at.desc()).limit(1))


def load_events(tenants) -> int:
    today = vn_today()
    by_slug = {t.slug: t for t in tenants if t.status != TenantStatus.MERGED}
    count = 0
    for slug, specs in [("hai-duong", HAI_DUONG), *OTHERS.items()]:
        if slug not in by_slug:
            continue
        with tenant_context(by_slug[slug].id):
            for offset, hour, days, kind, title, place, partners, description in specs:
                first = today + timedelta(days=offset)
                if hour is None:
                    starts_at, ends_at = span(first, None, first + timedelta(days=days - 1), None, True)
                else:
                    starts_at, ends_at = span(first, time(hour), first + timedelta(days=days - 1),
                                              time(hour + 3), False)
                event = db.session.scalar(sa.select(Event).where(Event.title == title))
                if event is None:
                    event = Event(title=title)
                    db.session.add(event)
                event.kind, event.place, event.partners, event.published = kind, place, partners, True
                event.starts_at, event.ends_at, event.all_day = starts_at, ends_at, hour is None
                event.description_html = description
                if offset < 0 and not event.links and (article_id := _related_article()):
                    event.links.append(EventArticle(article_id=article_id))
                count += 1
            db.session.commit()
    return count
