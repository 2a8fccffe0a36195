"""Demo content. Facts (names, addresses, figures) come from the public seed pages in ../shared/seeds;
every sentence is written for this demo."""

NATIONAL = {
    "slug": "vufo",
    "kind": "national",
    "name_vi": "Liên hiệp các tổ chức hữu nghị Việt Nam",
    "name_en": "Viet Nam Union of Friendship Organizations",
    "address": "105A Quán Thánh, Ba Đình, Hà Nội",
    "email": "vanphong@vufo.demo",
    "editor_in_chief": "Ban biên tập Cổng thông tin VUFO",
    "province": "ha-noi",
}

PROVINCIAL = [
    {"slug": "vinh-phuc", "province": "vinh-phuc", "name": "Vĩnh Phúc", "name_en": "Vinh Phuc",
     "address": "Phường Đống Đa, TP. Vĩnh Yên, Vĩnh Phúc", "editor_in_chief": "Ban biên tập Liên hiệp tỉnh Vĩnh Phúc",
     "emulation_bloc": "Khối các tổ chức chính trị - xã hội tỉnh"},
    {"slug": "dak-lak", "province": "dak-lak", "name": "Đắk Lắk", "name_en": "Dak Lak",
     "address": "TP. Buôn Ma Thuột, Đắk Lắk", "editor_in_chief": "Ban biên tập Liên hiệp tỉnh Đắk Lắk"},
    {"slug": "hai-duong", "province": "hai-duong", "name": "Hải Dương", "name_en": "Hai Duong",
     "address": "15A Hồng Quang, TP. Hải Dương, Hải Dương", "phone": "0220.3846.855",
     "editor_in_chief": "Ông Nguyễn Văn Nhang – Phó Chủ tịch Liên hiệp các tổ chức hữu nghị tỉnh",
     "emulation_bloc": "Khối các tổ chức xã hội tỉnh", "alias": "lhhn-haiduong.localhost"},
    {"slug": "tuyen-quang", "province": "tuyen-quang", "name": "Tuyên Quang", "name_en": "Tuyen Quang",
     "address": "TP. Tuyên Quang, Tuyên Quang", "editor_in_chief": "Ban biên tập Liên hiệp tỉnh Tuyên Quang"},
    {"slug": "ho-chi-minh", "province": "ho-chi-minh", "name": "Thành phố Hồ Chí Minh",
     "name_en": "Ho Chi Minh City", "city": True, "address": "Quận 1, TP. Hồ Chí Minh",
     "editor_in_chief": "Ban biên tập Liên hiệp hữu nghị TP. Hồ Chí Minh"},
    {"slug": "phu-tho", "province": "phu-tho", "name": "Phú Thọ", "name_en": "Phu Tho",
     "address": "TP. Việt Trì, Phú Thọ", "editor_in_chief": "Ban biên tập Liên hiệp tỉnh Phú Thọ"},
    {"slug": "bac-ninh", "province": "bac-ninh", "name": "Bắc Ninh", "name_en": "Bac Ninh",
     "address": "TP. Bắc Ninh, Bắc Ninh", "editor_in_chief": "Ban biên tập Liên hiệp tỉnh Bắc Ninh"},
    {"slug": "thai-nguyen", "province": "thai-nguyen", "name": "Thái Nguyên", "name_en": "Thai Nguyen",
     "address": "TP. Thái Nguyên, Thái Nguyên", "editor_in_chief": "Ban biên tập Liên hiệp tỉnh Thái Nguyên"},
]

CLUSTER = {
    "code": "01",
    "name_vi": "Cụm thi đua số 01",
    "name_en": "Emulation Cluster No. 01",
    "description": "Liên hiệp các tổ chức hữu nghị các tỉnh phía Bắc",
    "members": ["vinh-phuc", "hai-duong", "tuyen-quang", "phu-tho", "bac-ninh", "thai-nguyen"],
    # year: (leader, deputy), rotating every year. The same unions are members every year: in 2022–2024 the
    # provinces as they were before the 2025 reorganisation; the demo keeps them unchanged in 2025 and 2026.
    "leadership": {2022: ("bac-ninh", "hai-duong"), 2023: ("hai-duong", "tuyen-quang"),
                   2024: ("tuyen-quang", "vinh-phuc"), 2025: ("vinh-phuc", "phu-tho"), 2026: ("phu-tho", "bac-ninh")},
}


def demo_years() -> tuple[int, ...]:
    """The reporting years of the demo: 2022 up to this year (2026 at the least), so one period is always open."""
    from datetime import date

    return tuple(range(2022, max(2026, date.today().year) + 1))


def leadership(year: int) -> tuple[str, str]:
    """Cluster 01's (leader, deputy) in `year`: as given, then rotating through the members after 2026."""
    if year in CLUSTER["leadership"]:
        return CLUSTER["leadership"][year]
    members = CLUSTER["members"]
    n = (members.index(CLUSTER["leadership"][2026][0]) + year - 2026) % len(members)
    return members[n], members[(n + 1) % len(members)]

ROLES = ("admin", "editor", "author", "reporter")
ROLE_NAMES = {"admin": "Quản trị", "editor": "Biên tập", "author": "Phóng viên", "reporter": "Báo cáo viên"}


def functions_page(place: str) -> str:
    """The 'Chức năng, nhiệm vụ' page, from the national template each union adapts."""
    return f"""
<h2>1. Chức năng</h2>
<p>Liên hiệp các tổ chức hữu nghị {place} là tổ chức chính trị - xã hội chuyên trách công tác đối ngoại
nhân dân. Liên hiệp tập hợp các hội hữu nghị, tổ chức và cá nhân trong {place} để vun đắp quan hệ hữu nghị,
hợp tác với nhân dân các nước và các tổ chức phi chính phủ nước ngoài, vì hòa bình và phát triển.</p>
<h2>2. Nhiệm vụ</h2>
<ol>
  <li>Tổ chức các hoạt động tăng cường hiểu biết và tình hữu nghị giữa nhân dân {place} với nhân dân các nước;
      giới thiệu chủ trương, chính sách của Đảng, Nhà nước và hình ảnh của địa phương với bạn bè quốc tế.</li>
  <li>Làm đầu mối vận động, điều phối viện trợ của các tổ chức phi chính phủ nước ngoài, phối hợp với Liên hiệp
      các tổ chức hữu nghị Việt Nam và các cơ quan liên quan.</li>
  <li>Phối hợp nghiên cứu, tham mưu cho Ủy ban nhân dân về các vấn đề liên quan đến tổ chức phi chính phủ
      nước ngoài và các chương trình, dự án viện trợ trên địa bàn.</li>
  <li>Hướng dẫn, hỗ trợ các hội hữu nghị thành viên; tham gia tư vấn, phản biện xã hội về đối ngoại nhân dân.</li>
  <li>Đề xuất khen thưởng các tổ chức, cá nhân trong và ngoài nước có đóng góp cho công tác hữu nghị.</li>
</ol>
"""


def intro_page(name: str) -> str:
    return (f"<p>{name} là thành viên của Liên hiệp các tổ chức hữu nghị Việt Nam. Trang này giới thiệu chức "
            "năng, nhiệm vụ, cơ cấu tổ chức và cách liên hệ với cơ quan thường trực của Liên hiệp.</p>")


def structure_page(name: str) -> str:
    return (f"<p>Cơ quan thường trực của {name} gồm Đoàn Chủ tịch, Văn phòng và Trung tâm hợp tác hữu nghị, "
            "cùng các hội hữu nghị song phương là tổ chức thành viên.</p>")


def history_page(name: str) -> str:
    return (f"<p>{name} ra đời trong phong trào đối ngoại nhân dân do Liên hiệp các tổ chức hữu nghị Việt Nam "
            "khởi xướng. Qua các kỳ đại hội, Liên hiệp lớn dần cùng các hội hữu nghị thành viên, mở rộng quan hệ "
            "với địa phương kết nghĩa và các tổ chức phi chính phủ nước ngoài.</p>"
            "<p>Từ ngày 01/7/2025, khi các đơn vị hành chính cấp tỉnh được sắp xếp lại, lịch sử hoạt động của "
            "Liên hiệp được lưu giữ đầy đủ trên trang này.</p>")


def contact_page(address: str | None, phone: str | None) -> str:
    lines = [f"<p>Địa chỉ: {address}</p>" if address else "", f"<p>Điện thoại: {phone}</p>" if phone else ""]
    return "".join(lines) or "<p>Thông tin liên hệ đang được cập nhật.</p>"
