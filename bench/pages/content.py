"""A deterministic generator of realistic Vietnamese news for the page benchmark (friendship-union topics).

Every sentence here was written for the benchmark. An article is five paragraphs of three or four sentences
with one sub-heading, about 630 words, like the bodies of the Wagtail peer (../shared/bench/peers/wagtail).
"""

import random
from datetime import UTC, datetime, timedelta

SENTENCES = [
    "Sáng nay, Liên hiệp các tổ chức hữu nghị tỉnh {p} tổ chức hội nghị sơ kết công tác đối ngoại nhân dân sáu "
    "tháng đầu năm với sự tham dự của đại diện lãnh đạo Tỉnh ủy, Sở Ngoại vụ và các hội hữu nghị thành viên.",
    "Theo báo cáo tại hội nghị, các hội thành viên đã tổ chức nhiều hoạt động giao lưu văn hóa, thể thao và "
    "trao đổi đoàn, góp phần tăng cường hiểu biết và tình hữu nghị giữa nhân dân {p} với bạn bè quốc tế.",
    "Công tác vận động viện trợ phi chính phủ nước ngoài tiếp tục đạt kết quả tích cực, nhiều dự án về y tế, "
    "giáo dục và sinh kế được triển khai tại các huyện vùng sâu, vùng xa của tỉnh.",
    "Liên hiệp đã phối hợp với các sở, ngành tổ chức đón tiếp các đoàn khách quốc tế đến thăm, làm việc và tìm "
    "hiểu cơ hội hợp tác đầu tư, du lịch tại địa phương trong bối cảnh hội nhập ngày càng sâu rộng.",
    "Hội hữu nghị Việt – Lào tỉnh đã tổ chức gặp mặt lưu học sinh Lào đang học tập tại các trường cao đẳng, "
    "đại học trên địa bàn nhân dịp Tết cổ truyền Bunpimay, tạo không khí thân tình, ấm áp.",
    "Các tổ chức phi chính phủ nước ngoài đã bàn giao nhiều công trình lớp học, trạm y tế và hệ thống nước sạch, "
    "mang lại lợi ích thiết thực cho hàng nghìn người dân và học sinh có hoàn cảnh khó khăn.",
    "Công tác thông tin đối ngoại được đẩy mạnh qua trang thông tin điện tử của Liên hiệp, các ấn phẩm song ngữ "
    "và các buổi tọa đàm giới thiệu hình ảnh, con người và tiềm năng của quê hương {p}.",
    "Bên cạnh những kết quả đạt được, hội nghị cũng chỉ ra một số hạn chế như nguồn lực cho hoạt động đối ngoại "
    "nhân dân còn mỏng, việc nắm bắt thông tin về các đối tác nước ngoài ở một số hội chưa kịp thời.",
    "Phát biểu chỉ đạo, đồng chí Phó Chủ tịch Ủy ban nhân dân tỉnh đề nghị Liên hiệp tiếp tục phát huy vai trò "
    "nòng cốt trong công tác đối ngoại nhân dân, phối hợp chặt chẽ với đối ngoại Đảng và ngoại giao nhà nước.",
    "Liên hiệp cần chủ động tham mưu cho Tỉnh ủy, Ủy ban nhân dân tỉnh triển khai Chỉ thị số 12-CT/TW của Ban "
    "Bí thư về tăng cường và nâng cao hiệu quả công tác đối ngoại nhân dân trong tình hình mới.",
    "Nhân dịp này, nhiều tập thể và cá nhân có thành tích xuất sắc trong công tác hữu nghị và vận động viện trợ "
    "đã được Liên hiệp các tổ chức hữu nghị Việt Nam trao tặng Kỷ niệm chương Vì hòa bình, hữu nghị giữa các dân tộc.",
    "Trong thời gian tới, Liên hiệp sẽ tập trung củng cố tổ chức, kiện toàn ban chấp hành các hội hữu nghị song "
    "phương và phát triển thêm hội viên trong giới trẻ, doanh nhân và trí thức của tỉnh.",
    "Đồng thời, Liên hiệp sẽ mở rộng quan hệ với các địa phương kết nghĩa, tổ chức các chương trình giao lưu "
    "thanh niên, trao đổi giáo viên và hợp tác trong các lĩnh vực nông nghiệp, y tế, giáo dục.",
    "Chương trình trao học bổng cho học sinh nghèo vượt khó do các nhà tài trợ nước ngoài đồng hành tiếp tục được "
    "duy trì, tiếp thêm động lực để các em vươn lên trong học tập.",
    "Hội nghị cũng thống nhất các chỉ tiêu thi đua trọng tâm của cụm thi đua, phấn đấu hoàn thành thắng lợi nghị "
    "quyết đại hội Liên hiệp nhiệm kỳ hiện tại và kế hoạch vận động viện trợ giai đoạn 2023 – 2025.",
    "Các đại biểu đã thảo luận sôi nổi, đóng góp nhiều ý kiến tâm huyết nhằm nâng cao chất lượng hoạt động của "
    "các hội hữu nghị thành viên và hiệu quả quản lý các dự án viện trợ trên địa bàn.",
]

HEADINGS = ["Tăng cường đối ngoại nhân dân", "Vận động viện trợ phi chính phủ", "Hoạt động của các hội thành viên",
            "Nhiệm vụ trọng tâm thời gian tới"]

TITLES = [
    "Liên hiệp hữu nghị tỉnh {p} sơ kết công tác sáu tháng đầu năm",
    "Bàn giao công trình trường học do tổ chức phi chính phủ tài trợ tại {p}",
    "Gặp mặt bạn bè quốc tế nhân dịp Tết cổ truyền",
    "Hội hữu nghị Việt – Lào tổ chức đại hội nhiệm kỳ mới",
    "Tập huấn nghiệp vụ đối ngoại nhân dân cho cán bộ cơ sở",
    "Đón đoàn đại biểu tỉnh kết nghĩa sang thăm và làm việc",
    "Trao học bổng cho học sinh vượt khó vùng sâu, vùng xa",
    "Tọa đàm kỷ niệm ngày thiết lập quan hệ ngoại giao",
    "Ký kết biên bản hợp tác với địa phương nước bạn",
    "Khánh thành trạm y tế từ nguồn viện trợ nước ngoài",
]

SOURCES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Thu Hà", "Hoàng Đức Long",
           "Văn phòng Liên hiệp", "Vũ Thị Mai", "Đỗ Quang Huy"]

TAGS = ["Đối ngoại nhân dân", "Viện trợ PCPNN", "Hội hữu nghị Việt – Lào", "Hội hữu nghị Việt – Pháp",
        "Học bổng", "Giao lưu văn hóa", "Sơ kết", "Tổng kết", "Kết nghĩa", "Y tế", "Giáo dục", "Thanh niên",
        "Chỉ thị 12-CT/TW", "Cụm thi đua", "Hợp tác quốc tế", "Môi trường"]

COVER_COLOURS = [(178, 34, 34), (0, 102, 153), (34, 139, 34), (204, 119, 34), (102, 51, 153), (0, 128, 128),
                 (153, 102, 51), (70, 90, 120)]

END = datetime(2025, 6, 30, 1, 0, tzinfo=UTC)
SPAN_DAYS = 5 * 365


def body(rng: random.Random, place: str) -> str:
    paragraphs = ["<p>" + " ".join(s.format(p=place) for s in rng.sample(SENTENCES, rng.randint(3, 4))) + "</p>"
                  for _ in range(5)]
    paragraphs.insert(3, f"<h3>{rng.choice(HEADINGS)}</h3>")
    return "".join(paragraphs)


def article(rng: random.Random, number: int, place: str) -> dict:
    """The fields of article `number`: title, summary, body, source, publication time, tag names, cover index."""
    return {
        "title": f"{rng.choice(TITLES).format(p=place)} (số {number})",
        "summary": rng.choice(SENTENCES).format(p=place),
        "body_html": body(rng, place),
        "source_line": rng.choice(SOURCES),
        "published_at": END - timedelta(days=rng.randrange(SPAN_DAYS), minutes=rng.randrange(600)),
        "tags": rng.sample(TAGS, rng.randint(1, 3)),
        "featured": rng.random() < 0.05,
        "cover": rng.randrange(len(COVER_COLOURS)),
    }


def cover_image(index: int) -> bytes:
    """A 1200×675 JPEG drawn with Pillow: a coloured field with a few shapes (no downloads)."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    colour = COVER_COLOURS[index % len(COVER_COLOURS)]
    image = Image.new("RGB", (1200, 675), colour)
    draw = ImageDraw.Draw(image)
    rng = random.Random(index)
    for _ in range(12):
        x, y, r = rng.randrange(1200), rng.randrange(675), rng.randrange(40, 220)
        shade = tuple(min(255, c + rng.randrange(30, 90)) for c in colour)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    out = BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
