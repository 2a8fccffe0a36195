"""Generated demo news: plausible friendship-union stories for any province, 2021–2026.

Deterministic: a random generator seeded with the tenant's slug picks the details, so each load writes
the same titles (hence the same slugs) and `flask demo load` stays idempotent. Every sentence pattern
below was written for this demo; the facts they draw on (partner countries, the years relations were
established, the foreign NGOs named in the seed pages) are public.
"""

import random
from dataclasses import dataclass, field
from datetime import date

# (code, name vi, name en, association vi, year diplomatic relations were established)
COUNTRIES = [
    ("LA", "Lào", "Laos", "Hội hữu nghị Việt – Lào", 1962),
    ("KH", "Campuchia", "Cambodia", "Hội hữu nghị Việt Nam – Campuchia", 1967),
    ("CU", "Cuba", "Cuba", "Hội hữu nghị Việt Nam – Cuba", 1960),
    ("RU", "Liên bang Nga", "Russia", "Hội hữu nghị Việt – Nga", 1950),
    ("FR", "Pháp", "France", "Hội hữu nghị Việt – Pháp", 1973),
    ("DE", "Đức", "Germany", "Hội hữu nghị Việt – Đức", 1975),
    ("KR", "Hàn Quốc", "the Republic of Korea", "Hội hữu nghị Việt – Hàn", 1992),
    ("JP", "Nhật Bản", "Japan", "Hội hữu nghị Việt – Nhật", 1973),
    ("CN", "Trung Quốc", "China", "Hội hữu nghị Việt – Trung", 1950),
]
RELATIONS_MONTH = {"LA": 9, "KH": 6, "CU": 12, "RU": 1, "FR": 4, "DE": 9, "KR": 12, "JP": 9, "CN": 1}
NGOS = ["GPI", "COPION", "KCCC", "Hoa Trắng (Fleur Blanche)", "Good Neighbors International (GNI)", "Tzu Chi",
        "Giving it back to kids"]
WORKS = [  # (vi, en)
    ("nhà lớp học hai tầng", "a two-storey classroom block"),
    ("hệ thống nước sạch", "a clean-water system"),
    ("nhà văn hóa thôn", "a village cultural house"),
    ("cầu dân sinh", "a footbridge"),
    ("nhà bán trú cho học sinh", "a boarding house for pupils"),
    ("trạm y tế xã", "a commune health station"),
]
GUESTS = [  # (vi, en)
    ("sinh viên quốc tế", "international students"),
    ("tình nguyện viên nước ngoài", "foreign volunteers"),
    ("chuyên gia nước ngoài", "foreign experts"),
    ("doanh nhân nước ngoài", "foreign business people"),
]


@dataclass
class Story:
    category: str
    title: str
    summary: str
    paragraphs: list[str]
    day: date | None = None
    months: tuple[int, int] = (1, 12)  # when in the year such a story happens
    tags: list[str] = field(default_factory=list)
    english: tuple[str, str, list[str]] | None = None


@dataclass
class Ctx:
    union: str  # "Liên hiệp các tổ chức hữu nghị tỉnh Hải Dương"
    union_en: str
    place: str  # "Hải Dương", "Thành phố Hồ Chí Minh", "Việt Nam"
    place_en: str
    year: int
    rng: random.Random

    def pick(self, items):
        return self.rng.choice(items)


def _usd_vi(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " USD"


def _usd_en(amount: int) -> str:
    return f"USD {amount:,}"


# --- one function per kind of story: (category, ctx) -> Story (day filled in by the caller) -------------

def _delegation(c: Ctx) -> Story:
    _code, country, country_en, _assoc, _since = c.pick(COUNTRIES)
    people = c.rng.randint(6, 18)
    return Story(
        "doi-ngoai-nhan-dan", f"Đón đoàn đại biểu nhân dân {country} thăm {c.place} năm {c.year}",
        f"Đoàn {people} đại biểu nhân dân {country} đến thăm {c.place}, tìm hiểu đời sống người dân và trao đổi "
        "các hướng hợp tác giao lưu.",
        [f"{c.union} đã đón đoàn {people} đại biểu nhân dân {country} đến thăm và "
         "làm việc. Lãnh đạo Liên hiệp giới thiệu với khách tình hình kinh tế, xã hội và những kết quả nổi bật "
         "của địa phương trong thời gian qua.",
         f"Trong chương trình, đoàn đã thăm một số di tích lịch sử, làng nghề truyền thống và gặp gỡ hội viên "
         f"hội hữu nghị. Các đại biểu {country} bày tỏ ấn tượng trước sự mến khách của người dân.",
         "Hai bên nhất trí duy trì trao đổi đoàn, mở rộng giao lưu thanh niên, văn hóa và giáo dục, góp phần "
         "vun đắp tình hữu nghị giữa nhân dân hai nước."],
        tags=["Đối ngoại nhân dân", country],
        english=(f"Delegation of the people of {country_en} visits {c.place_en} ({c.year})",
                 f"A delegation of {people} representatives of the people of {country_en} visited {c.place_en} "
                 "to learn about local life and discuss exchanges.",
                 [f"The {c.union_en} welcomed a delegation of {people} "
                  f"representatives of the people of {country_en}.",
                  "Both sides agreed to keep exchanging delegations and to widen youth, cultural and education "
                  "exchanges."]))


def _anniversary(c: Ctx) -> Story:
    round_years = [row for row in COUNTRIES if (c.year - row[4]) % 5 == 0]  # unions mark the round years
    if not round_years:
        return _guests(c)
    code, country, country_en, assoc, since = c.pick(round_years)
    years = c.year - since
    month = RELATIONS_MONTH[code]
    return Story(
        "doi-ngoai-nhan-dan",
        f"Mít tinh kỷ niệm {years} năm thiết lập quan hệ ngoại giao Việt Nam – {country}",
        f"Liên hiệp phối hợp với {assoc} tổ chức mít tinh kỷ niệm {years} năm quan hệ ngoại giao Việt Nam – "
        f"{country} ({since} – {c.year}).",
        [f"Nhân kỷ niệm {years} năm Ngày thiết lập quan hệ ngoại giao Việt Nam – {country}, {c.union} phối hợp "
         f"với {assoc} tổ chức buổi mít tinh với sự tham dự của đại diện các sở, ngành và đông đảo hội viên.",
         f"Phát biểu tại buổi lễ, đại diện Liên hiệp ôn lại chặng đường {years} năm quan hệ giữa hai nước và "
         f"khẳng định nhân dân {c.place} luôn trân trọng tình cảm của bạn bè {country}.",
         "Dịp này, các đại biểu đã xem triển lãm ảnh tư liệu và chương trình văn nghệ chào mừng do hội viên "
         "biểu diễn."],
        months=(month, month), tags=["Kỷ niệm", country],
        english=(f"Meeting marks {years} years of diplomatic relations between Viet Nam and {country_en}",
                 f"The union and the friendship association held a meeting to mark {years} years of diplomatic "
                 f"relations between Viet Nam and {country_en} ({since}–{c.year}).",
                 [f"To mark {years} years of diplomatic relations between Viet Nam and {country_en}, the "
                  f"{c.union_en} held a meeting with the friendship association.",
                  "Guests also saw an exhibition of archive photographs and a cultural performance by members."]))


def _guests(c: Ctx) -> Story:
    guests, guests_en = c.pick(GUESTS)
    season = c.pick([("Tết Nguyên đán", "the Lunar New Year", (1, 2)), ("Quốc khánh 2/9", "National Day", (8, 8))])
    return Story(
        "doi-ngoai-nhan-dan", f"Gặp mặt {guests} nhân dịp {season[0]} {c.year}",
        f"Liên hiệp tổ chức gặp mặt thân mật {guests} đang học tập, làm việc tại {c.place}.",
        [f"Nhân dịp {season[0]} {c.year}, {c.union} tổ chức buổi gặp mặt {guests} "
         "đang học tập, làm việc trên địa bàn.",
         "Tại buổi gặp mặt, khách mời được giới thiệu phong tục truyền thống, cùng gói bánh, thưởng thức món ăn "
         "địa phương và giao lưu văn nghệ với hội viên các hội hữu nghị.",
         f"Liên hiệp mong các bạn tiếp tục là cầu nối, giới thiệu hình ảnh con người {c.place} tới bạn bè quốc "
         "tế."],
        months=season[2], tags=["Giao lưu"],
        english=(f"Meeting with {guests_en} for {season[1]} {c.year}",
                 f"The union held a friendly meeting with {guests_en} studying and working in {c.place_en}.",
                 [f"For {season[1]} {c.year} the union welcomed {guests_en} living in {c.place_en} to a friendly "
                  "meeting with local traditions, food and music."]))


def _congress(c: Ctx) -> Story:
    due = [row for row in COUNTRIES if (row[4] + c.year) % 5 == 0]  # each association meets every five years
    if not due:
        return _scholarships(c)
    _code, country, _en, assoc, _since = c.pick(due)
    number = (c.year - 2001) // 5 + 1
    roman = ["", "I", "II", "III", "IV", "V", "VI", "VII"][number]
    start = c.year
    return Story(
        "hoi-huu-nghi", f"{assoc} tổ chức Đại hội lần thứ {roman}, nhiệm kỳ {start} – {start + 5}",
        f"Đại hội đánh giá kết quả nhiệm kỳ trước, bầu Ban Chấp hành mới và thông qua phương hướng hoạt động "
        f"của {assoc} nhiệm kỳ {start} – {start + 5}.",
        [f"{assoc} đã tổ chức thành công Đại hội lần thứ {roman}, nhiệm kỳ {start} – {start + 5}, với sự tham dự "
         f"của lãnh đạo {c.union} và đại diện cơ quan đại diện {country}.",
         "Nhiệm kỳ qua, hội đã phát triển thêm hội viên, duy trì sinh hoạt các chi hội và tổ chức nhiều hoạt "
         f"động giao lưu, tìm hiểu về đất nước, con người {country}.",
         "Đại hội đã bầu Ban Chấp hành mới và đề ra mục tiêu nâng cao chất lượng hội viên, mở rộng hợp tác "
         "với các đối tác nước bạn."],
        tags=["Đại hội", assoc])


def _scholarships(c: Ctx) -> Story:
    _code, _country, _en, assoc, _since = c.pick(COUNTRIES[4:8])
    count = c.rng.randint(20, 80)
    return Story(
        "hoi-huu-nghi", f"{assoc} trao {count} suất học bổng cho học sinh vượt khó năm {c.year}",
        f"{count} học sinh có hoàn cảnh khó khăn, học tập tốt ở {c.place} nhận học bổng do {assoc} vận động.",
        [f"{assoc} phối hợp với các doanh nghiệp và nhà hảo tâm trao {count} suất học bổng cho học sinh nghèo "
         f"vượt khó tại {c.place}, mỗi suất trị giá 1.000.000 đồng cùng sách vở và đồ dùng học tập.",
         "Đây là hoạt động thường niên của hội, nhằm động viên các em vươn lên trong học tập, đồng thời lan "
         "tỏa tinh thần tương thân tương ái trong cộng đồng hội viên."],
        tags=["Học bổng", assoc],
        english=(f"Friendship association gives {count} scholarships to pupils ({c.year})",
                 f"{count} pupils from poor families in {c.place_en} received scholarships raised by a member "
                 "friendship association.",
                 [f"A member association of the union gave {count} scholarships, each worth VND 1 million with "
                  f"books and school supplies, to pupils in {c.place_en}."]))


def _association_exchange(c: Ctx) -> Story:
    _code, country, _en, assoc, _since = c.pick(COUNTRIES[:3])
    return Story(
        "hoi-huu-nghi", f"{assoc} thăm hỏi các gia đình cựu chuyên gia, quân tình nguyện năm {c.year}",
        f"Hội viên {assoc} đến thăm, tặng quà các cựu chuyên gia và quân tình nguyện từng giúp bạn {country}.",
        [f"Trong tháng, {assoc} đã tổ chức đoàn đến thăm hỏi, tặng quà các cựu chuyên gia, quân tình nguyện "
         f"Việt Nam từng công tác tại {country} hiện sinh sống ở {c.place}.",
         "Những câu chuyện về năm tháng gian khó mà nghĩa tình được các cựu chiến binh kể lại, giúp lớp hội "
         "viên trẻ thêm hiểu và trân trọng mối quan hệ đặc biệt giữa hai dân tộc."],
        tags=["Hội thành viên", assoc])


def _aid_handover(c: Ctx) -> Story:
    ngo = c.pick(NGOS)
    work, work_en = c.pick(WORKS)
    amount = c.rng.randint(15, 180) * 1000
    return Story(
        "vien-tro-pcpnn", f"Bàn giao {work} do tổ chức {ngo} tài trợ năm {c.year}",
        f"Công trình trị giá {_usd_vi(amount)} do tổ chức phi chính phủ {ngo} tài trợ đã hoàn thành và đưa vào "
        "sử dụng.",
        [f"{c.union} phối hợp với chính quyền địa phương và tổ chức {ngo} tổ chức "
         f"lễ bàn giao {work}. Tổng kinh phí của công trình là {_usd_vi(amount)}, trong đó phần lớn do {ngo} "
         "tài trợ, phần còn lại do địa phương đối ứng.",
         "Công trình được khởi công đầu năm, hoàn thành đúng tiến độ và bảo đảm chất lượng, đáp ứng mong mỏi "
         "của người dân và chính quyền cơ sở.",
         f"Đại diện Liên hiệp cảm ơn tổ chức {ngo} đã đồng hành cùng {c.place} và đề nghị địa phương sử dụng, "
         "bảo quản công trình hiệu quả."],
        tags=["Viện trợ PCPNN", ngo],
        english=(f"{work_en[0].upper() + work_en[1:]} funded by {ngo} handed over ({c.year})",
                 f"{work_en[0].upper() + work_en[1:]} worth {_usd_en(amount)}, funded by the foreign NGO {ngo}, "
                 "is finished and in use.",
                 [f"The {c.union_en}, the local authorities and {ngo} handed "
                  f"over {work_en} costing {_usd_en(amount)}.",
                  f"The union thanked {ngo} for standing by {c.place_en}."]))


def _aid_survey(c: Ctx) -> Story:
    ngo = c.pick(NGOS)
    return Story(
        "vien-tro-pcpnn", f"Khảo sát dự án cùng tổ chức {ngo} tại các xã khó khăn năm {c.year}",
        f"Đoàn công tác của Liên hiệp và tổ chức {ngo} khảo sát thực tế để xây dựng dự án hỗ trợ mới.",
        [f"{c.union} đã cùng đại diện tổ chức {ngo} khảo sát nhu cầu hỗ trợ tại "
         "một số xã còn nhiều khó khăn về nước sạch, trường học và chăm sóc sức khỏe.",
         "Đoàn đã làm việc với chính quyền xã, thăm các hộ gia đình và trường học để nắm bắt nhu cầu thực tế, "
         "làm cơ sở xây dựng đề xuất dự án.",
         "Liên hiệp sẽ tham mưu các thủ tục tiếp nhận viện trợ theo Nghị định số 58/2022/NĐ-CP và hướng dẫn địa "
         "phương chuẩn bị phần vốn đối ứng."],
        tags=["Viện trợ PCPNN", ngo])


def _aid_review(c: Ctx) -> Story:
    projects = c.rng.randint(6, 24)
    amount = c.rng.randint(300, 1500) * 1000
    return Story(
        "vien-tro-pcpnn", f"Vận động viện trợ phi chính phủ nước ngoài năm {c.year}: {projects} dự án được phê duyệt",
        f"Năm {c.year}, {projects} chương trình, dự án với tổng giá trị khoảng {_usd_vi(amount)} được phê duyệt "
        f"cho {c.place}.",
        [f"Theo báo cáo của {c.union}, trong năm {c.year} có {projects} chương "
         f"trình, dự án và khoản viện trợ phi dự án được phê duyệt, tổng giá trị khoảng {_usd_vi(amount)}.",
         "Các dự án tập trung vào giáo dục, y tế, nước sạch và hỗ trợ sinh kế cho người dân vùng khó khăn; công "
         "tác quản lý, giám sát được thực hiện chặt chẽ, đúng quy định.",
         "Liên hiệp kiến nghị tiếp tục cải cách thủ tục tiếp nhận và tăng cường kết nối với các tổ chức phi "
         "chính phủ nước ngoài có tiềm năng."],
        months=(12, 12), tags=["Viện trợ PCPNN", "Tổng kết"],
        english=(f"Foreign NGO aid in {c.year}: {projects} projects approved",
                 f"In {c.year}, {projects} programmes and projects worth about {_usd_en(amount)} were approved for "
                 f"{c.place_en}.",
                 [f"According to the union's report, {projects} programmes, projects and non-project grants worth "
                  f"about {_usd_en(amount)} were approved in {c.year}, mostly for education, health, clean water "
                  "and livelihoods."]))


def _training(c: Ctx) -> Story:
    people = c.rng.randint(40, 150)
    return Story(
        "tin-hoat-dong", f"Tập huấn công tác đối ngoại nhân dân năm {c.year}",
        f"{people} cán bộ, hội viên được cập nhật kiến thức và kỹ năng về công tác đối ngoại nhân dân.",
        [f"{c.union} tổ chức lớp tập huấn cho {people} cán bộ các hội hữu nghị, "
         "Mặt trận và các đoàn thể.",
         "Học viên được giới thiệu Chỉ thị số 12-CT/TW của Ban Bí thư về đối ngoại nhân dân, các quy định về "
         "quản lý hoạt động của tổ chức phi chính phủ nước ngoài và kỹ năng tiếp xúc với khách quốc tế."],
        tags=["Tập huấn"],
        english=(f"Training course on people's diplomacy ({c.year})",
                 f"{people} officials and members updated their knowledge and skills in people's diplomacy.",
                 [f"The {c.union_en} trained {people} officials of friendship "
                  "associations and mass organisations."]))


def _review(c: Ctx) -> Story:
    half = c.rng.random() < 0.5
    if half:
        title = f"Sơ kết công tác 6 tháng đầu năm {c.year}"
        summary = "Hội nghị đánh giá kết quả nửa đầu năm và bàn nhiệm vụ trọng tâm 6 tháng cuối năm."
    else:
        title = f"Tổng kết công tác đối ngoại nhân dân năm {c.year}"
        summary = f"Liên hiệp nhìn lại một năm hoạt động và thống nhất nhiệm vụ trọng tâm năm {c.year + 1}."
    events = c.rng.randint(5, 20)
    return Story(
        "tin-hoat-dong", title, summary,
        [f"{c.union} tổ chức hội nghị {title[0].lower() + title[1:]}, có đại "
         "diện lãnh đạo các sở, ngành và các hội hữu nghị thành viên tham dự.",
         f"Trong kỳ, Liên hiệp đã tổ chức và phối hợp tổ chức {events} hoạt động đối ngoại nhân dân, đón nhiều "
         "đoàn khách quốc tế và duy trì hiệu quả công tác vận động viện trợ.",
         "Hội nghị cũng chỉ ra một số hạn chế về nguồn lực và đề ra giải pháp nâng cao hiệu quả hoạt động của "
         "các hội thành viên."],
        months=(6, 7) if half else (12, 12), tags=["Sơ kết" if half else "Tổng kết"])


def _cluster(c: Ctx) -> Story:
    return Story(
        "tin-hoat-dong", f"Liên hiệp tham gia hội nghị Cụm thi đua năm {c.year}",
        "Các Liên hiệp trong cụm trao đổi kinh nghiệm và ký kết giao ước thi đua.",
        [f"Đoàn {c.union} đã tham dự hội nghị ký kết giao ước thi đua năm "
         f"{c.year} của cụm.",
         "Tại hội nghị, các Liên hiệp chia sẻ cách làm hay trong vận động viện trợ, tổ chức sự kiện đối ngoại "
         "và phát triển hội viên; thống nhất các tiêu chí thi đua và lịch họp định kỳ."],
        tags=["Thi đua"])


KINDS = {
    "tin-hoat-dong": [_training, _review, _cluster],
    "doi-ngoai-nhan-dan": [_delegation, _anniversary, _guests],
    "hoi-huu-nghi": [_congress, _scholarships, _association_exchange],
    "vien-tro-pcpnn": [_aid_handover, _aid_survey, _aid_review],
}
ORDER = ["tin-hoat-dong", "doi-ngoai-nhan-dan", "hoi-huu-nghi", "vien-tro-pcpnn"]
FIRST_YEAR, LAST_YEAR = 2021, 2026
LAST_MONTH = 9  # stories of the last year end in September, safely in the past


def stories(seed: str, union: str, union_en: str, place: str, place_en: str, count: int = 32) -> list[Story]:
    """`count` distinct stories spread over 2021–2026 and every category; the same list for the same seed."""
    rng = random.Random(f"lhhn-demo-news:{seed}")
    span = LAST_YEAR - FIRST_YEAR + 1
    result, titles = [], set()
    for index in range(count):
        year = FIRST_YEAR + index * span // count
        category = ORDER[index % len(ORDER)]
        kinds = KINDS[category]
        for attempt in range(30):
            kind = kinds[(index // len(ORDER) + attempt) % len(kinds)]
            story = kind(Ctx(union, union_en, place, place_en, year, rng))
            if story.title not in titles and (year < LAST_YEAR or story.months[0] <= LAST_MONTH):
                break
        else:  # thirty draws gave nothing new: number this one rather than fail
            story.title = f"{story.title} (đợt {index})"
        titles.add(story.title)
        first, last = story.months[0], min(story.months[1], LAST_MONTH if year == LAST_YEAR else 12)
        story.day = date(year, rng.randint(first, max(first, last)), rng.randint(1, 28))
        result.append(story)
    return result
