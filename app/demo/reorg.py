"""The demo on the 2025 map: a union for every one of the 34 current units, clusters by region, and two unions
that merged on 01/7/2025 — Hà Giang's into Tuyên Quang's and Phú Yên's into Đắk Lắk's — each with a few years
of its own articles, member organisations and reports before the merge, merged through the platform's own
merge (app/reorg), so their old hosts redirect article by article. Every step upserts or is skipped once done.
"""

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.core.timeutil import VN_TZ
from app.core.vntext import slugify
from app.extensions import db
from app.members.models import MemberOrganization
from app.news import services as news_services
from app.news.models import Article, ArticleStatus
from tenants.context import tenant_context
from tenants.models import Cluster, ClusterLeadership, ClusterMembership, Province, Tenant, TenantStatus

MERGED_ON = date(2025, 7, 1)

# slug, successor, name, name_en, address; the articles are the union's own news before the merge.
PREDECESSORS = (
    {"slug": "ha-giang", "into": "tuyen-quang", "name": "Hà Giang", "name_en": "Ha Giang",
     "address": "Phường Nguyễn Trãi, TP. Hà Giang, Hà Giang",
     "members": (("hoi-viet-trung-ha-giang", "Hội hữu nghị Việt – Trung tỉnh Hà Giang", "CN"),
                 ("hoi-viet-lao-ha-giang", "Hội hữu nghị Việt – Lào tỉnh Hà Giang", "LA")),
     "articles": (
         (date(2022, 4, 12), "Giao lưu hữu nghị nhân dân hai bên biên giới Hà Giang – Vân Nam",
          "Đoàn đại biểu Liên hiệp tỉnh Hà Giang dự giao lưu văn nghệ với nhân dân huyện Ma Lật Pha."),
         (date(2022, 11, 3), "Tiếp nhận 1.200 suất học bổng cho học sinh vùng cao Đồng Văn",
          "Một tổ chức phi chính phủ nước ngoài trao học bổng cho học sinh dân tộc thiểu số bốn huyện vùng cao."),
         (date(2023, 6, 20), "Khánh thành điểm trường Sủng Là từ nguồn viện trợ phi chính phủ",
          "Điểm trường hai phòng học và nhà bán trú được bàn giao trước năm học mới."),
         (date(2023, 12, 18), "Liên hiệp tỉnh Hà Giang tổng kết công tác đối ngoại nhân dân năm 2023",
          "Hội nghị đánh giá kết quả vận động viện trợ và hoạt động của các hội hữu nghị thành viên."),
         (date(2024, 9, 9), "Hỗ trợ khắc phục hậu quả bão số 3 tại Hà Giang",
          "Bạn bè quốc tế chung tay hỗ trợ nhu yếu phẩm và vật liệu dựng lại nhà cho bà con vùng lũ."),
         (date(2025, 5, 28), "Hội nghị chuẩn bị hợp nhất Liên hiệp các tổ chức hữu nghị hai tỉnh",
          "Liên hiệp hai tỉnh Hà Giang và Tuyên Quang thống nhất lộ trình hợp nhất từ ngày 01/7/2025."),
     )},
    {"slug": "phu-yen", "into": "dak-lak", "name": "Phú Yên", "name_en": "Phu Yen",
     "address": "Phường 7, TP. Tuy Hòa, Phú Yên",
     "members": (("hoi-viet-nhat-phu-yen", "Hội hữu nghị Việt Nam – Nhật Bản tỉnh Phú Yên", "JP"),
                 ("hoi-viet-lao-phu-yen", "Hội hữu nghị Việt – Lào tỉnh Phú Yên", "LA")),
     "articles": (
         (date(2022, 3, 15), "Đón đoàn tình nguyện viên quốc tế đến Tuy Hòa",
          "Các tình nguyện viên tham gia dạy tiếng Anh và chăm sóc sức khỏe ban đầu cho người dân ven biển."),
         (date(2022, 10, 7), "Trao tặng thiết bị y tế cho Trung tâm y tế huyện Đồng Xuân",
          "Thiết bị do một tổ chức phi chính phủ Hàn Quốc tài trợ, trị giá khoảng 1,1 tỷ đồng."),
         (date(2023, 8, 24), "Giao lưu hữu nghị Việt – Nhật tại Phú Yên",
          "Chương trình giới thiệu văn hóa hai nước thu hút đông đảo thanh niên tỉnh tham gia."),
         (date(2024, 4, 2), "Khởi công công trình nước sạch cho xã Xuân Lãnh",
          "Công trình cấp nước sinh hoạt cho hơn 600 hộ dân từ nguồn viện trợ phi chính phủ nước ngoài."),
         (date(2024, 12, 16), "Liên hiệp tỉnh Phú Yên tổng kết công tác năm 2024",
          "Năm 2024, Liên hiệp vận động được 14 dự án viện trợ, tăng 3 dự án so với năm trước."),
         (date(2025, 6, 10), "Bàn giao hồ sơ, tư liệu chuẩn bị hợp nhất với Liên hiệp tỉnh Đắk Lắk",
          "Hồ sơ hội viên, dự án và tư liệu ảnh được bàn giao đầy đủ trước ngày hợp nhất."),
     )},
)

# The emulation clusters other than 01 (kept as it was), by region: every current unit in one of them.
REGIONAL_CLUSTERS = (
    ("02", "Cụm thi đua số 02", "Emulation Cluster No. 02", "Liên hiệp các tỉnh, thành phố miền núi và đồng bằng "
     "Bắc Bộ", ("north",)),
    ("03", "Cụm thi đua số 03", "Emulation Cluster No. 03", "Liên hiệp các tỉnh, thành phố Bắc Trung Bộ và duyên "
     "hải miền Trung", ("central",)),
    ("04", "Cụm thi đua số 04", "Emulation Cluster No. 04", "Liên hiệp các tỉnh Tây Nguyên và Nam Bộ",
     ("highlands", "south")),
)
REGIONAL_YEARS = (2024, 2025, 2026)


def current_units() -> list[Province]:
    return list(db.session.scalars(sa.select(Province).where(Province.valid_to.is_(None)).order_by(Province.code)))


def unit_specs(existing: set[str]) -> list[dict]:
    """A tenant spec (as data.PROVINCIAL) for every current unit whose union the demo does not have yet."""
    specs = []
    for unit in current_units():
        if unit.slug in existing:
            continue
        name = f"thành phố {unit.name}" if unit.kind == "city" else unit.name
        specs.append({"slug": unit.slug, "province": unit.slug, "name": name, "name_en": unit.name_en,
                      "city": unit.kind == "city", "light": True,
                      "editor_in_chief": f"Ban biên tập Liên hiệp {unit.name}"})
    return specs


def predecessor_specs() -> list[dict]:
    return [{"slug": p["slug"], "province": p["slug"], "name": p["name"], "name_en": p["name_en"],
             "address": p["address"], "predecessor": True,
             "editor_in_chief": f"Ban biên tập Liên hiệp tỉnh {p['name']}"} for p in PREDECESSORS]


def load_predecessor_content(tenant: Tenant) -> int:
    """A predecessor's own articles and member organisations (only while it is not merged yet)."""
    if tenant.status == TenantStatus.MERGED:
        return 0
    spec = next(p for p in PREDECESSORS if p["slug"] == tenant.slug)
    from app.demo.news import _categories

    with tenant_context(tenant.id):
        categories = _categories()
        for day, title, summary in spec["articles"]:
            slug = slugify(title, 150)
            article = db.session.scalars(sa.select(Article).where(Article.slug == slug)).first()
            if article is None:
                article = Article(slug=slug, locale="vi")
                db.session.add(article)
            article.title, article.summary = title, summary
            article.category_id = categories["vien-tro-pcpnn" if "viện trợ" in summary else "tin-hoat-dong"].id
            article.body_html = (f"<p>{summary}</p><p>Tin của Liên hiệp các tổ chức hữu nghị tỉnh {spec['name']}, "
                                 f"đăng trước khi Liên hiệp hợp nhất vào Liên hiệp tỉnh kế thừa.</p>")
            article.status, article.source_line = ArticleStatus.PUBLISHED, "Văn phòng Liên hiệp"
            article.published_at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=VN_TZ)
            db.session.flush()
            news_services.set_tags(article, ["Đối ngoại nhân dân", spec["name"]])
        for position, (slug, name, country) in enumerate(spec["members"], start=1):
            member = db.session.scalars(sa.select(MemberOrganization).where(MemberOrganization.slug == slug)).first()
            if member is None:
                member = MemberOrganization(slug=slug)
                db.session.add(member)
            member.name_vi, member.country_code, member.position, member.published = name, country, position, True
        db.session.commit()
    return len(spec["articles"])


def merge_predecessors(by_slug: dict[str, Tenant]) -> int:
    """Hà Giang into Tuyên Quang and Phú Yên into Đắk Lắk, on 01/7/2025, through the platform's merge."""
    from app.reorg.services import merge_unions

    merged = 0
    for spec in PREDECESSORS:
        source, target = by_slug.get(spec["slug"]), by_slug.get(spec["into"])
        if source is None or target is None or source.status == TenantStatus.MERGED:
            continue
        merge_unions([source], target, MERGED_ON)
        merged += 1
    return merged


def regional_clusters(by_slug: dict[str, Tenant]) -> None:
    """Clusters 02–04 by region for 2024–2026, with a leader and a deputy rotating through the members."""
    in_01 = {slug for slug in ("vinh-phuc", "hai-duong", "tuyen-quang", "phu-tho", "bac-ninh", "thai-nguyen")}
    units = current_units()
    for code, name_vi, name_en, description, regions in REGIONAL_CLUSTERS:
        members = [by_slug[u.slug] for u in units if u.region in regions and u.slug in by_slug
                   and u.slug not in in_01 and by_slug[u.slug].status == TenantStatus.ACTIVE]
        cluster = db.session.scalars(sa.select(Cluster).where(Cluster.code == code)).first()
        if cluster is None:
            cluster = Cluster(code=code)
            db.session.add(cluster)
        cluster.name_vi, cluster.name_en, cluster.description = name_vi, name_en, description
        have = {(m.year, m.tenant_id) for m in cluster.memberships}
        for offset, year in enumerate(REGIONAL_YEARS):
            for tenant in members:
                if (year, tenant.id) not in have:
                    cluster.memberships.append(ClusterMembership(year=year, tenant=tenant))
            leadership = cluster.leadership_in(year)
            if leadership is None:
                leadership = ClusterLeadership(year=year)
                cluster.leaderships.append(leadership)
            leadership.leader = members[offset % len(members)]
            leadership.deputy = members[(offset + 1) % len(members)]
    db.session.commit()


def report_years(slug: str, spec_kind: str) -> tuple[int, ...] | None:
    """Which years a union of the 2025 map reports (None: every demo year, the seed unions of cluster 01)."""
    if spec_kind == "predecessor":
        return (2022, 2023, 2024, 2025)  # the 2025 half-year too: it closed before the merge
    if spec_kind == "light":
        return REGIONAL_YEARS
    return None


def before_merge(period) -> bool:
    return period.window_end < MERGED_ON - timedelta(days=1)
