"""Demo member organisations, partner localities and documents. Facts (names, congresses, periods,
document numbers and dates) come from the seed pages; every sentence is written for this demo.
Figures the seeds do not give (leaders, member counts) are left empty rather than invented, except in the past
terms and chapters below (HISTORY), which are illustrative: written for the demo to show the registry's history."""

from datetime import date

import sqlalchemy as sa

from app.demo.pdf import minimal_pdf, vietnamese_pdf
from app.documents.models import Document
from app.documents.services import DOCUMENT_TYPE_LABELS, file_on_disk, store_file
from app.extensions import db
from app.members.models import MemberChapter, MemberOrganization, MemberTerm, PartnerAgreement, PartnerLocality
from tenants.context import tenant_context
from tenants.models import Tenant


def _association(slug, name_vi, name_en, country, description, **facts):
    return {"slug": slug, "name_vi": name_vi, "name_en": name_en, "kind": "association", "country_code": country,
            "description_html": description, **facts}


HAI_DUONG_MEMBERS = [
    _association("viet-duc", "Hội hữu nghị Việt – Đức", "Viet Nam – Germany Friendship Association", "DE",
                 "<p>Hội gắn kết hội viên, bạn bè Đức đang sống và làm việc tại Hải Dương cùng những người từng học "
                 "tập, lao động ở Đức. Tháng 10/2023 Hội tổ chức Đại hội lần thứ V và gặp mặt các doanh nhân hội "
                 "viên nhân Ngày Doanh nhân Việt Nam.</p>", congress_number=5, term_start=2023, term_end=2028),
    _association("viet-lao", "Hội hữu nghị Việt – Lào", "Viet Nam – Laos Friendship Association", "LA",
                 "<p>Hội chăm lo sinh viên tỉnh Viêng Chăn học tại Trường Đại học Hải Dương, nhất là dịp Tết "
                 "Bunpimay, cùng Ban liên lạc quân tình nguyện và chuyên gia Việt Nam tại Lào.</p>"),
    _association("viet-nam-campuchia", "Hội hữu nghị Việt Nam – Campuchia",
                 "Viet Nam – Cambodia Friendship Association", "KH",
                 "<p>Hội tổ chức gặp mặt kỷ niệm 70 năm Quốc khánh Vương quốc Campuchia và thăm hỏi các cựu quân "
                 "tình nguyện có hoàn cảnh khó khăn dịp Tết.</p>"),
    _association("viet-phap", "Hội hữu nghị Việt – Pháp", "Viet Nam – France Friendship Association", "FR",
                 "<p>Hội tham gia Hội nghị hợp tác giữa các địa phương Việt Nam – Pháp lần thứ 12 và cùng Trung tâm "
                 "vận động tổ chức Hoa Trắng tài trợ công trình cho trường tiểu học ở huyện Tứ Kỳ.</p>"),
    _association("viet-han", "Hội hữu nghị Việt – Hàn", "Viet Nam – Korea Friendship Association", "KR",
                 "<p>Hội là cầu nối với các doanh nghiệp Hàn Quốc trên địa bàn, vận động họ chung tay hỗ trợ nữ "
                 "công nhân và các gia đình khó khăn.</p>"),
    _association("viet-nam-cuba", "Hội hữu nghị Việt Nam – Cuba", "Viet Nam – Cuba Friendship Association", "CU",
                 "<p>Hội chúc mừng Đại sứ quán Cuba nhân Quốc khánh và ngày chiến thắng Hiron, và dâng hoa tại "
                 "tượng đài Fidel Castro ở Đồng Hới.</p>"),
    _association("viet-nga", "Hội hữu nghị Việt – Nga", "Viet Nam – Russia Friendship Association", "RU",
                 "<p>Hội tổ chức Đại hội lần thứ III năm 2023, có đại diện Đại sứ quán Liên bang Nga dự, và phối "
                 "hợp với Hội người Hải Dương tại Liên bang Nga.</p>", congress_number=3, term_start=2023,
                 term_end=2028),
    _association("viet-trieu", "Hội hữu nghị Việt – Triều", "Viet Nam – DPR Korea Friendship Association", "KP",
                 "<p>Hội duy trì Ban chấp hành và ba chi hội, cử đoàn dự kỷ niệm Quốc khánh nước bạn tại Hà "
                 "Nội.</p>", chapters_count=3),
    _association("viet-trung", "Hội hữu nghị Việt – Trung", "Viet Nam – China Friendship Association", "CN",
                 "<p>Hội tuyên truyền về quan hệ láng giềng hữu nghị và duy trì trao đổi thông tin giữa các hội "
                 "viên.</p>"),
    _association("viet-nhat", "Hội hữu nghị Việt – Nhật", "Viet Nam – Japan Friendship Association", "JP",
                 "<p>Hội giới thiệu văn hóa Nhật Bản và kết nối hội viên từng học tập, làm việc tại Nhật.</p>"),
    _association("viet-uc", "Hội hữu nghị Việt – Úc", "Viet Nam – Australia Friendship Association", "AU",
                 "<p>Hội duy trì sinh hoạt và trao đổi thông tin về quan hệ Việt Nam – Australia.</p>"),
    _association("viet-y", "Hội hữu nghị Việt – Ý", "Viet Nam – Italy Friendship Association", "IT",
                 "<p>Hội kết nối những người yêu mến đất nước và văn hóa Italy tại Hải Dương.</p>"),
    {"slug": "trung-tam-hop-tac-huu-nghi", "name_vi": "Trung tâm hợp tác hữu nghị",
     "name_en": "Friendship Cooperation Centre", "kind": "centre", "country_code": None,
     "description_html": "<p>Đơn vị sự nghiệp công lập trực thuộc Liên hiệp, làm đầu mối đón các đoàn tình nguyện "
                         "viên và triển khai dự án của các tổ chức phi chính phủ nước ngoài như GPI, COPION, KCCC "
                         "và Hoa Trắng.</p>"},
]

VINH_PHUC_MEMBERS = [
    _association("viet-lao", "Hội hữu nghị Việt – Lào", "Viet Nam – Laos Friendship Association", "LA",
                 "<p>Hội tập hợp cựu chuyên gia, quân tình nguyện và những người gắn bó với nước bạn Lào.</p>"),
    _association("viet-nhat", "Hội hữu nghị Việt – Nhật", "Viet Nam – Japan Friendship Association", "JP",
                 "<p>Hội kết nối hội viên với cộng đồng doanh nghiệp Nhật Bản trong tỉnh.</p>"),
    _association("viet-han", "Hội hữu nghị Việt – Hàn", "Viet Nam – Korea Friendship Association", "KR",
                 "<p>Hội tổ chức giao lưu văn hóa và hỗ trợ lao động làm việc tại các doanh nghiệp Hàn Quốc.</p>"),
]

# A member that no longer exists: kept on record (unpublished) so that reports of earlier years still count it.
VINH_PHUC_MEMBERS.append(_association(
    "viet-nam-ba-lan", "Hội hữu nghị Việt Nam – Ba Lan", "Viet Nam – Poland Friendship Association", "PL",
    "<p>Hội tập hợp những người từng học tập, làm việc tại Ba Lan. Năm 2021 Hội giải thể; hội viên sinh hoạt "
    "tại Câu lạc bộ hữu nghị của Liên hiệp.</p>", founded_on=date(1998, 5, 20), dissolved_on=date(2021, 6, 30),
    published=False))


def _term(number, held_on, start, end, leaders, members=None, chapters=None, note=""):
    return {"congress_number": number, "congress_on": held_on, "term_start": start, "term_end": end,
            "leaders": leaders, "member_count": members, "chapters_count": chapters, "note": note}


# (tenant slug, member slug) -> past terms and chapters; illustrative demo content (see the module's docstring).
HISTORY = {
    ("hai-duong", "viet-duc"): {
        "terms": [
            _term(5, date(2023, 10, 14), 2023, 2028, "Chủ tịch: Nguyễn Văn Thành; Phó Chủ tịch: Phạm Thị Mai", 350, 7),
            _term(4, date(2018, 9, 22), 2018, 2023, "Chủ tịch: Nguyễn Văn Thành; Phó Chủ tịch: Đỗ Quang Huy", 310, 6),
            _term(3, date(2013, 11, 9), 2013, 2018, "Chủ tịch: Vũ Đình Long; Phó Chủ tịch: Nguyễn Văn Thành", 260, 5,
                  "Nhiệm kỳ đầu tiên kết nạp hội viên là doanh nhân từng làm việc tại Đức."),
        ],
        "chapters": [
            {"name": "Chi hội thành phố Hải Dương", "leader": "Phạm Thị Mai", "member_count": 120,
             "founded_on": date(2009, 3, 15), "published": True},
            {"name": "Chi hội doanh nhân", "leader": "Đỗ Quang Huy", "member_count": 45,
             "founded_on": date(2016, 10, 13), "published": True},
        ],
    },
    ("hai-duong", "viet-lao"): {
        "terms": [
            _term(6, date(2022, 8, 5), 2022, 2027, "Chủ tịch: Lê Văn Khánh; Phó Chủ tịch: Trần Thị Hồng", 520, 9),
            _term(5, date(2017, 7, 18), 2017, 2022, "Chủ tịch: Bùi Xuân Trường; Phó Chủ tịch: Lê Văn Khánh", 480, 8),
        ],
        "chapters": [
            {"name": "Chi hội cựu quân tình nguyện và chuyên gia", "leader": "Bùi Xuân Trường", "member_count": 210,
             "founded_on": date(2005, 7, 18), "published": True},
        ],
    },
    ("hai-duong", "viet-nam-cuba"): {
        "terms": [
            _term(4, date(2021, 12, 2), 2021, 2026, "Chủ tịch: Hoàng Minh Đức; Phó Chủ tịch: Nguyễn Thị Lan", 190, 4),
            _term(3, date(2016, 11, 25), 2016, 2021, "Chủ tịch: Hoàng Minh Đức", 165, 3),
            _term(2, date(2011, 10, 20), 2011, 2016, "Chủ tịch: Trịnh Văn Sơn", 140, 3),
        ],
    },
    ("vinh-phuc", "viet-lao"): {
        "terms": [
            _term(4, date(2022, 6, 10), 2022, 2027, "Chủ tịch: Đào Văn Tiến; Phó Chủ tịch: Hà Thị Thu", 300, 5),
            _term(3, date(2017, 6, 16), 2017, 2022, "Chủ tịch: Đào Văn Tiến", 270, 5),
        ],
    },
    ("vinh-phuc", "viet-nam-ba-lan"): {
        "terms": [
            _term(3, date(2018, 4, 12), 2018, 2023, "Chủ tịch: Kiều Văn Hải", 60, None,
                  "Nhiệm kỳ dừng giữa chừng: Hội giải thể ngày 30/6/2021."),
            _term(2, date(2013, 4, 20), 2013, 2018, "Chủ tịch: Kiều Văn Hải", 85),
        ],
    },
}

HAI_DUONG_PARTNERS = [
    {"name_vi": "Tỉnh Viêng Chăn", "name_en": "Vientiane Province", "country_code": "LA", "level": "province",
     "position": 1,
     "description": "Tỉnh kết nghĩa của Hải Dương. Sinh viên Viêng Chăn theo học tại Trường Đại học Hải Dương "
                    "được Liên hiệp và Hội hữu nghị Việt – Lào thăm hỏi mỗi dịp Tết.",
     "agreements": [{"title": "Biên bản hợp tác giai đoạn 2023–2027", "kind": "cooperation_minutes",
                     "period_start": 2023, "period_end": 2027,
                     "summary": "Khung hợp tác giữa hai tỉnh cho năm năm; Liên hiệp góp ý vào dự thảo và theo dõi "
                                "các hoạt động giao lưu thanh niên, học sinh."}]},
    {"name_vi": "Thành phố Montreuil", "name_en": "Montreuil", "country_code": "FR", "level": "city", "position": 2,
     "description": "Địa phương Pháp có quan hệ hữu nghị lâu năm với Hải Dương; Liên hiệp tham mưu cho tỉnh duy "
                    "trì các hoạt động hợp tác."},
    {"name_vi": "Tỉnh Seine-Saint-Denis", "name_en": "Seine-Saint-Denis", "country_code": "FR",
     "level": "department", "position": 3,
     "description": "Đối tác phía Pháp của tỉnh; hai bên gặp nhau tại Hội nghị hợp tác giữa các địa phương "
                    "Việt Nam – Pháp."},
]

CT_12 = {"number": "12-CT/TW", "doc_type": "directive", "issuer": "Ban Bí thư Trung ương",
         "issued_on": date(2022, 1, 5),
         "title": "Chỉ thị về tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả đối ngoại nhân dân trong tình "
                  "hình mới",
         "summary": "Văn bản định hướng công tác đối ngoại nhân dân trong giai đoạn mới, được các Liên hiệp quán "
                    "triệt và cụ thể hóa bằng kế hoạch của địa phương."}
ND_58 = {"number": "58/2022/NĐ-CP", "doc_type": "decree", "issuer": "Chính phủ", "issued_on": date(2022, 8, 31),
         "title": "Nghị định về đăng ký và quản lý hoạt động của các tổ chức phi chính phủ nước ngoài tại Việt Nam",
         "summary": "Quy định việc đăng ký, cấp giấy và quản lý hoạt động của các tổ chức phi chính phủ nước ngoài."}

DOCUMENTS = {
    "hai-duong": [
        CT_12,
        {"number": "124-KH/TU", "doc_type": "plan", "issuer": "Tỉnh ủy Hải Dương", "issued_on": None,
         "title": "Kế hoạch thực hiện Chỉ thị số 12-CT/TW của Ban Bí thư Trung ương",
         "summary": "Kế hoạch của Tỉnh ủy do Liên hiệp chủ trì tham mưu, đưa Chỉ thị 12-CT/TW vào thực tiễn "
                    "của tỉnh."},
        {"number": "1970/KH-UBND", "doc_type": "plan", "issuer": "UBND tỉnh Hải Dương",
         "issued_on": date(2023, 6, 8),
         "title": "Kế hoạch triển khai thực hiện Chỉ thị số 12-CT/TW",
         "summary": "Kế hoạch của Ủy ban nhân dân tỉnh giao nhiệm vụ cho các sở, ngành và Liên hiệp."},
        {"number": "308/QĐ-UBND", "doc_type": "decision", "issuer": "UBND tỉnh Hải Dương",
         "issued_on": date(2023, 2, 24),
         "title": "Quyết định ban hành Chương trình hợp tác và vận động viện trợ không hoàn lại không thuộc hỗ trợ "
                  "phát triển chính thức dành cho tỉnh Hải Dương giai đoạn 2023–2025",
         "summary": "Liên hiệp là đầu mối tham mưu xây dựng chương trình vận động viện trợ của các cơ quan, tổ "
                    "chức, cá nhân nước ngoài cho tỉnh."},
        ND_58,
    ],
    "vinh-phuc": [CT_12],
    "vufo": [ND_58, CT_12],
}

ND_80 = ("Nghị định số 80/2020/NĐ-CP ngày 08 tháng 7 năm 2020 của Chính phủ về quản lý và sử dụng viện trợ không "
         "hoàn lại không thuộc hỗ trợ phát triển chính thức của các cơ quan, tổ chức, cá nhân nước ngoài dành cho "
         "Việt Nam")
# The text of a demo document's PDF beyond its heading (written for this demo), by number. Site search finds a
# document by it: "nghi dinh" finds 308/QĐ-UBND and 12-CT/TW, whose title and summary do not say it.
BODIES = {
    "308/QĐ-UBND": [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        f"Căn cứ {ND_80};",
        "Xét đề nghị của Liên hiệp các tổ chức hữu nghị tỉnh,",
        "QUYẾT ĐỊNH:",
        "Điều 1. Ban hành kèm theo Quyết định này Chương trình hợp tác và vận động viện trợ không hoàn lại không "
        "thuộc hỗ trợ phát triển chính thức dành cho tỉnh giai đoạn 2023–2025.",
        "Điều 2. Liên hiệp các tổ chức hữu nghị tỉnh là cơ quan đầu mối, phối hợp với các sở, ngành và địa phương "
        "tổ chức thực hiện Chương trình; định kỳ báo cáo Ủy ban nhân dân tỉnh.",
    ],
    "12-CT/TW": [
        "Bản giới thiệu do Liên hiệp biên soạn để cán bộ, hội viên tiện tra cứu; khi trích dẫn, xin dùng bản "
        "chính thức của cơ quan ban hành.",
        "Chỉ thị yêu cầu các cấp ủy, tổ chức đảng nâng cao nhận thức về vị trí, vai trò của đối ngoại nhân dân, "
        "phát huy sức mạnh của các tổ chức hữu nghị trong vận động bạn bè quốc tế.",
        f"Văn bản liên quan (ghi chú của Liên hiệp): {ND_80}; Nghị định số 58/2022/NĐ-CP về đăng ký và quản lý "
        "hoạt động của các tổ chức phi chính phủ nước ngoài tại Việt Nam.",
    ],
}


def _upsert(model, key: dict, fields: dict):
    row = db.session.scalars(sa.select(model).filter_by(**key)).first()
    if row is None:
        row = model(**key)
        db.session.add(row)
    for name, value in fields.items():
        setattr(row, name, value)
    return row


def _terms_from_today(spec: dict) -> dict | None:
    """For a member without written history: its current term (the registry's own figures) and the one before it,
    so every organisation's page and card show its terms. Illustrative, like HISTORY."""
    number, start, end = spec.get("congress_number"), spec.get("term_start"), spec.get("term_end")
    if not (number and start and end):
        return None
    leader = f"{spec.get('leader_title') or 'Chủ tịch'}: {spec['leader_name']}" if spec.get("leader_name") else ""
    members = spec.get("member_count")
    terms = [_term(number, None, start, end, leader, members, spec.get("chapters_count"))]
    if number > 1:
        span = max(end - start, 1)
        terms.append(_term(number - 1, None, start - span, start, "",
                           int(members * 0.85) if members else None, None))
    return {"terms": terms}


def _members(specs: list[dict], tenant_slug: str = "") -> int:
    for position, spec in enumerate(specs, start=1):
        spec = dict(spec)
        slug = spec.pop("slug")
        member = _upsert(MemberOrganization, {"slug": slug}, {"published": True, **spec, "position": position})
        history = HISTORY.get((tenant_slug, slug)) or _terms_from_today(spec)
        if history:
            db.session.flush()
            for term in history.get("terms", []):
                _upsert(MemberTerm, {"member_id": member.id, "term_start": term["term_start"]}, term)
            for chapter in history.get("chapters", []):
                chapter = dict(chapter)
                _upsert(MemberChapter, {"member_id": member.id, "name": chapter.pop("name")}, chapter)
    return len(specs)


def _partners(specs: list[dict]) -> int:
    for spec in specs:
        spec = dict(spec)
        agreements = spec.pop("agreements", [])
        locality = _upsert(PartnerLocality, {"name_vi": spec.pop("name_vi")}, {**spec, "published": True})
        db.session.flush()
        for agreement in agreements:
            agreement = dict(agreement)
            _upsert(PartnerAgreement, {"locality_id": locality.id, "title": agreement.pop("title")}, agreement)
    return len(specs)


def _pdf_for(spec: dict, tenant: Tenant) -> tuple[bytes, str]:
    label = str(DOCUMENT_TYPE_LABELS[spec["doc_type"]])
    issued = spec["issued_on"].strftime("%d/%m/%Y") if spec["issued_on"] else "chưa ghi ngày"
    lines = [f"{label} số {spec['number']}", spec["issuer"], f"Ngày ban hành: {issued}", "", spec["title"], "",
             f"Bản demo do {tenant.name_vi} đăng trên trang thông tin điện tử."]
    filename = f"{label} {spec['number'].replace('/', '-')}.pdf"
    body = BODIES.get(spec["number"])
    # With its body, a real PDF in Vietnamese (fpdf2 and a TTF font); without either, the plain one-page PDF.
    data = vietnamese_pdf(lines[:3] + [spec["title"]], body + [lines[-1]]) if body else None
    return data or minimal_pdf(lines), filename


def _documents(specs: list[dict], tenant: Tenant) -> int:
    for spec in specs:
        document = _upsert(Document, {"number": spec["number"]}, {**spec, "published": True})
        db.session.flush()
        # A file never stored, or stored before its text was read (a demo loaded before text search): its text is
        # read by the same task as an upload's, once the tenant's commit below is done.
        if file_on_disk(document) is None or document.text_status == "none":
            data, filename = _pdf_for(spec, tenant)
            store_file(document, data, filename)
    return len(specs)


def load_directory(tenants: list[Tenant]) -> dict[str, int]:
    """Members, partners and documents for the demo tenants that have them (upserts: run it twice safely)."""
    by_slug = {t.slug: t for t in tenants}
    counts = {"members": 0, "partners": 0, "documents": 0}
    plan = {"hai-duong": (HAI_DUONG_MEMBERS, HAI_DUONG_PARTNERS), "vinh-phuc": (VINH_PHUC_MEMBERS, [])}
    for slug in sorted(set(plan) | set(DOCUMENTS)):
        tenant = by_slug.get(slug)
        if tenant is None:
            continue
        members, partners = plan.get(slug, ([], []))
        with tenant_context(tenant.id):
            counts["members"] += _members(members, slug)
            counts["partners"] += _partners(partners)
            counts["documents"] += _documents(DOCUMENTS.get(slug, []), tenant)
            db.session.commit()
    return counts
