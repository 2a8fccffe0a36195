"""Demo news: facts from the seed pages (dates, names, figures), every sentence written for the demo."""

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.core.timeutil import as_utc, utcnow
from app.core.vntext import slugify
from app.demo.stories import stories
from app.extensions import db
from app.news import services
from app.news.models import Article, ArticleStatus, Category
from tenants.context import tenant_context
from tenants.models import Tenant

VN = timezone(timedelta(hours=7))

CATEGORIES = [
    ("tin-hoat-dong", "Tin tức hoạt động", "Activities"),
    ("doi-ngoai-nhan-dan", "Đối ngoại nhân dân", "People's diplomacy"),
    ("hoi-huu-nghi", "Hoạt động các hội hữu nghị", "Member associations"),
    ("vien-tro-pcpnn", "Vận động viện trợ PCPNN", "Foreign NGO aid"),
]

# (tenant, category, vi title, summary, body paragraphs, published (VN time), source, featured, share, tags, en)
SEED_ARTICLES = [
    ("hai-duong", "tin-hoat-dong", "Liên hiệp các tổ chức hữu nghị tỉnh tổng kết công tác năm 2023",
     "Đoàn Chủ tịch Liên hiệp họp tổng kết năm 2023: vận động viện trợ đạt khoảng 1,3 triệu USD, tăng 91,1 % so "
     "với năm 2022, đã giải ngân 1,24 triệu USD.",
     ["Ngày 20/12, Đoàn Chủ tịch Liên hiệp các tổ chức hữu nghị tỉnh họp để nhìn lại một năm làm việc và bàn "
      "nhiệm vụ năm 2024. Hội nghị do đồng chí Chủ tịch Liên hiệp chủ trì, có các đồng chí Ban Thường trực dự.",
      "Trong năm, Liên hiệp đã quán triệt Chỉ thị số 12-CT/TW của Ban Bí thư về đối ngoại nhân dân, tham mưu "
      "Kế hoạch số 124-KH/TU của Tỉnh ủy và Quyết định số 308/QĐ-UBND về chương trình vận động viện trợ giai "
      "đoạn 2023 – 2025, đồng thời góp ý dự thảo Biên bản hợp tác với tỉnh Viêng Chăn giai đoạn 2023 – 2027.",
      "Công tác vận động viện trợ phi chính phủ nước ngoài tiếp tục là điểm sáng: các dự án cam kết khoảng "
      "1,3 triệu USD (xấp xỉ 31,5 tỷ đồng), tăng 91,1 % so với năm 2022; số vốn đã giải ngân đạt 1,24 triệu USD.",
      "Liên hiệp hiện có 13 tổ chức thành viên: 12 hội hữu nghị và Trung tâm hợp tác hữu nghị. Năm 2024, Liên "
      "hiệp tập trung nâng cao chất lượng hoạt động của các hội và mở rộng quan hệ với các đối tác nước ngoài."],
     datetime(2024, 2, 22, 12, 0, tzinfo=VN), "Văn phòng Liên hiệp", True, True, ["Tổng kết", "Viện trợ PCPNN"],
     ("The provincial friendship union reviews its work in 2023",
      "The union's presidium met to review 2023: about USD 1.3 million of aid mobilised, up 91.1 % on 2022, "
      "with USD 1.24 million disbursed.",
      ["On 20 December the presidium of the provincial union of friendship organisations met to review the year "
       "and agree on its tasks for 2024.",
       "Aid from foreign non-governmental organisations remained the highlight: projects worth about USD 1.3 "
       "million (about VND 31.5 billion) were committed, 91.1 % more than in 2022, and USD 1.24 million was "
       "disbursed."])),
    ("ho-chi-minh", "tin-hoat-dong", "Một số công tác trọng tâm năm 2020",
     "Sáu sự kiện đối ngoại nhân dân, chỉ tiêu vận động 50 tỷ đồng và nâng cấp trang thông tin điện tử là những "
     "việc chính của năm 2020.",
     ["Năm 2020, Liên hiệp hữu nghị Thành phố chuẩn bị sáu sự kiện đối ngoại nhân dân, trong đó có lễ kỷ niệm "
      "70 năm quan hệ ngoại giao Việt Nam – Trung Quốc, Việt Nam – Liên bang Nga, 25 năm bình thường hóa quan "
      "hệ Việt Nam – Hoa Kỳ và 70 năm ngày truyền thống Liên hiệp các tổ chức hữu nghị Việt Nam.",
      "Liên hiệp đặt mục tiêu vận động viện trợ 50 tỷ đồng trong năm, nâng cấp website phục vụ công tác đối "
      "ngoại và tiếp tục xuất bản Đặc san “Hữu nghị và hợp tác”."],
     datetime(2020, 5, 27, 9, 0, tzinfo=VN), "Ban biên tập", True, False, ["Kế hoạch", "Đối ngoại nhân dân"], None),
    ("tuyen-quang", "tin-hoat-dong",
     "Liên hiệp các tổ chức hữu nghị tỉnh Tuyên Quang tổ chức Hội nghị sơ kết 6 tháng đầu năm 2016",
     "Hội nghị ngày 07/6 đánh giá kết quả nửa đầu năm và bàn phương hướng 6 tháng cuối năm 2016.",
     ["Sáng 07/6, Liên hiệp các tổ chức hữu nghị tỉnh Tuyên Quang họp sơ kết công tác 6 tháng đầu năm. Dự hội "
      "nghị có lãnh đạo Sở Ngoại vụ, Trung tâm Xúc tiến đầu tư tỉnh và Hội Chữ thập đỏ tỉnh.",
      "Nửa đầu năm, Liên hiệp đã làm việc với Liên hiệp các tổ chức hữu nghị Việt Nam, đón các đoàn khách "
      "quốc tế đến thăm tỉnh và phối hợp đón tiếp tổ chức Good Neighbors International (GNI)."],
     datetime(2016, 6, 24, 16, 25, tzinfo=VN), "Văn phòng Liên hiệp", False, True, ["Sơ kết"], None),
]

GENERIC = [
    ("doi-ngoai-nhan-dan", "Gặp mặt bạn bè quốc tế nhân dịp Tết cổ truyền",
     "Liên hiệp tổ chức buổi gặp mặt thân mật với các chuyên gia, tình nguyện viên nước ngoài đang làm việc "
     "tại địa phương."),
    ("hoi-huu-nghi", "Hội hữu nghị Việt – Lào tổ chức đại hội nhiệm kỳ mới",
     "Đại hội bầu Ban Chấp hành mới và thông qua chương trình hoạt động của hội cho nhiệm kỳ 2023 – 2028."),
    ("vien-tro-pcpnn", "Bàn giao công trình lớp học do tổ chức phi chính phủ tài trợ",
     "Công trình được khởi công đầu năm và hoàn thành đúng tiến độ, phục vụ học sinh vùng khó khăn."),
    ("tin-hoat-dong", "Tập huấn nghiệp vụ đối ngoại nhân dân cho cán bộ cơ sở",
     "Lớp tập huấn giúp cán bộ các hội thành viên nắm vững chủ trương và kỹ năng làm việc với đối tác nước ngoài."),
    ("doi-ngoai-nhan-dan", "Đón đoàn đại biểu tỉnh kết nghĩa sang thăm và làm việc",
     "Hai bên trao đổi kết quả hợp tác và thống nhất các hoạt động giao lưu văn hóa, giáo dục trong năm tới."),
    ("hoi-huu-nghi", "Hội hữu nghị Việt – Hàn trao học bổng cho học sinh vượt khó",
     "Các suất học bổng được trao tận tay học sinh có hoàn cảnh khó khăn, học tập tốt."),
    ("vien-tro-pcpnn", "Khảo sát nhu cầu hỗ trợ nước sạch tại các xã vùng cao",
     "Đoàn công tác cùng đại diện tổ chức phi chính phủ khảo sát thực tế để xây dựng dự án mới."),
    ("tin-hoat-dong", "Sơ kết công tác 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm",
     "Hội nghị đánh giá kết quả đạt được, chỉ ra hạn chế và thống nhất các nhiệm vụ trọng tâm."),
]


def _categories() -> dict[str, Category]:
    existing = {c.slug: c for c in db.session.scalars(sa.select(Category))}
    for position, (slug, name_vi, name_en) in enumerate(CATEGORIES):
        category = existing.get(slug) or Category(slug=slug)
        category.name_vi, category.name_en, category.position = name_vi, name_en, position
        db.session.add(category)
        existing[slug] = category
    db.session.flush()
    return existing


def _article(categories, *, category, title, summary, paragraphs, published, source=None, featured=False,
             share=False, locale="vi", original=None, status=ArticleStatus.PUBLISHED) -> Article:
    slug = slugify(title, 150)
    article = db.session.scalars(sa.select(Article).where(Article.slug == slug, Article.locale == locale)).first()
    if article is None:
        article = Article(slug=slug, locale=locale)
        db.session.add(article)
    article.category_id = categories[category].id
    article.title, article.summary = title, summary
    article.body_html = "".join(f"<p>{p}</p>" for p in paragraphs)
    article.source_line, article.featured, article.share_national = source, featured, share
    article.status, article.published_at = status, published
    article.translation_of_id = original.id if original is not None else None
    db.session.flush()
    if share:  # the demo's shared items were offered and approved, so the portal lists them
        from app.nominations.models import Nomination

        if db.session.scalars(sa.select(Nomination).where(Nomination.article_id == article.id)).first() is None:
            db.session.add(Nomination(article_id=article.id, status="approved", reason="", decided_at=published))
            db.session.flush()
    return article


def load_news(tenant: Tenant) -> int:
    """Categories and articles for one demo tenant (idempotent: found again by slug)."""
    with tenant_context(tenant.id):
        categories = _categories()
        count = 0
        for (slug, category, title, summary, paragraphs, published, source, featured, share, tags,
             english) in SEED_ARTICLES:
            if slug != tenant.slug:
                continue
            article = _article(categories, category=category, title=title, summary=summary,
                               paragraphs=paragraphs, published=published, source=source, featured=featured,
                               share=share)
            services.set_tags(article, tags)
            count += 1
            if english:
                en_title, en_summary, en_paragraphs = english
                _article(categories, category=category, title=en_title, summary=en_summary,
                         paragraphs=en_paragraphs, published=published, source=source, locale="en",
                         original=article)
                count += 1
        place = tenant.name_vi.replace("Liên hiệp các tổ chức hữu nghị ", "")
        base = datetime(2025, 11, 20, 8, 30, tzinfo=VN)
        for index, (category, title, summary) in enumerate(GENERIC):
            paragraphs = [summary, f"Hoạt động nằm trong chương trình công tác năm của Liên hiệp các tổ chức "
                                   f"hữu nghị {place}, góp phần tăng cường hiểu biết và tình hữu nghị giữa nhân "
                                   f"dân {place} với nhân dân các nước."]
            _article(categories, category=category, title=f"{title} ({place})" if tenant.is_national else title,
                     summary=summary, paragraphs=paragraphs, published=base - timedelta(days=9 * index + 3),
                     source="Ban biên tập", featured=index == 0, share=index == 2 and not tenant.is_national)
            count += 1
        count += _generated(tenant, categories)
        db.session.commit()
        return count


GENERATED = 32  # public stories per tenant, 2021–2026, on top of the seed-derived ones
DRAFTS = (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW, ArticleStatus.DRAFT)
SCHEDULED = 2  # published but dated in the future: invisible until then


def _generated(tenant: Tenant, categories: dict[str, Category]) -> int:
    """Generated stories: most public (every third with an English version), a few drafts, a few scheduled."""
    place = tenant.name_vi.replace("Liên hiệp các tổ chức hữu nghị ", "").removeprefix("tỉnh ")
    place_en = tenant.name_en.replace(" Union of Friendship Organizations", "")
    plan = stories(tenant.slug, tenant.name_vi, tenant.name_en, place, place_en,
                   GENERATED + len(DRAFTS) + SCHEDULED)
    count, english_titles = 0, set()
    for index, story in enumerate(plan):
        published = datetime(story.day.year, story.day.month, story.day.day, 8 + index % 9, 15, tzinfo=VN)
        published = min(published, utcnow() - timedelta(days=1))
        status = ArticleStatus.PUBLISHED
        if index >= GENERATED + SCHEDULED:
            status = DRAFTS[index - GENERATED - SCHEDULED]
        elif index >= GENERATED:
            published = _scheduled(story.title, index - GENERATED)
        fields = {"category": story.category, "published": published, "source": "Văn phòng Liên hiệp"}
        article = _article(categories, title=story.title, summary=story.summary, paragraphs=story.paragraphs,
                           status=status, share=index % 11 == 5 and not tenant.is_national, **fields)
        services.set_tags(article, story.tags)
        count += 1
        if story.english and index % 3 == 0 and status == ArticleStatus.PUBLISHED \
                and story.english[0] not in english_titles:
            title, summary, paragraphs = story.english
            english_titles.add(title)
            _article(categories, title=title, summary=summary, paragraphs=paragraphs, locale="en",
                     original=article, **fields)
            count += 1
    return count


def _scheduled(title: str, offset: int) -> datetime:
    """A date ahead of now: kept from the last load while it is still ahead, so a reload changes nothing."""
    existing = db.session.scalars(sa.select(Article.published_at).where(
        Article.slug == slugify(title, 150), Article.locale == "vi")).first()
    if existing is not None and as_utc(existing) > utcnow():
        return existing
    day = (utcnow() + timedelta(days=14 + 7 * offset)).astimezone(VN)
    return day.replace(hour=8, minute=0, second=0, microsecond=0)
