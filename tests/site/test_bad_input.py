"""Bad input on every public paginated list and on search: a 404 or the nearest valid page, a clear message,
never a 500 — on SQLite and on PostgreSQL."""

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.news.models import Tag
from tenants.context import tenant_context

HOST = "tinh-a.localhost"
PORTAL = "localhost"
ARTICLES = 25  # three pages of ten


@pytest.fixture
def site(tenant_a, tenant_b, make_article, make_category, make_member, make_partner, make_document,
         make_aid_project):
    category = make_category(tenant_a, "Tin tức hoạt động")
    for index in range(ARTICLES):
        make_article(tenant_a, f"Hội hữu nghị tin số {index}", category=category, ago=timedelta(hours=index + 1),
                     tags=("Giao lưu",) if index < 12 else ())
    make_article(tenant_b, "Hội hữu nghị tỉnh B")
    for index in range(3):
        make_member(tenant_a, f"Hội hữu nghị Việt – Lào {index}", slug=f"viet-lao-{index}")
        make_partner(tenant_a, f"Địa phương {index}")
        make_document(tenant_a, f"Kế hoạch số {index}", number=f"{index}/KH", file=None)
    make_aid_project(tenant_a, "Bàn giao lớp học")
    with tenant_context(tenant_a.id):
        tag = db.session.query(Tag).one()
        return {"category": f"/chuyen-muc/{category.id}/{category.slug}", "tag": f"/the/{tag.id}/{tag.slug}"}


LISTS = ["/tin-tuc/", "category", "tag", "/to-chuc-thanh-vien", "/doi-tac", "/van-ban", "/vien-tro/",
         "/tim-kiem?q=h%E1%BB%99i"]
PAGES = ["abc", "-1", "0", "-0", "1.5", "1e3", "", "%EF%BC%92",  # fullwidth "２"
         "1" + "0" * 30, "9" * 5000, "99999", "2%0A", "0x10", "+2", "%202", "NaN", "%ED%A0%80", "%FF"]


def page_number(body: str) -> tuple[int, int] | None:
    match = re.search(r"Trang (\d+) / (\d+)|Page (\d+) of (\d+)", body)
    if match is None:
        return None
    numbers = [int(n) for n in match.groups() if n]
    return numbers[0], numbers[1]


def url(path: str, **params: str) -> str:
    return path + ("&" if "?" in path else "?") + "&".join(f"{k}={v}" for k, v in params.items())


@pytest.mark.parametrize("where", LISTS)
def test_bad_page_numbers_give_a_valid_page_or_404(browser, site, where):
    path, failures = site.get(where, where), []
    for value in PAGES:
        response = browser.get(url(path, page=value), host=HOST)
        if response.status_code not in (200, 404):
            failures.append(f"page={value[:20]}: {response.status_code}")
            continue
        shown = page_number(response.get_data(as_text=True))
        if shown is not None and not 1 <= shown[0] <= shown[1]:
            failures.append(f"page={value[:20]}: shows page {shown}")
    assert not failures, failures
    # NUL never reaches a database: a 400 page that says what is wrong
    response = browser.get(url(path, page="%00"), host=HOST)
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


@pytest.mark.parametrize("where", ["/tin-tuc/", "/tim-kiem?q=h%E1%BB%99i"])
def test_past_the_end_shows_the_last_page(browser, site, where):
    body = browser.get(url(where, page="99"), host=HOST).get_data(as_text=True)
    assert page_number(body) == (3, 3)
    assert "tin số 24" in re.sub(r"</?mark>", "", body)  # the oldest article


QUERIES = {
    "long": "hội " * 1700,  # 5 100 characters
    "punctuation": "!!! ??? ... --- ;;;",
    "control": "h\x01\x1b[31mội\x7f",
    "like metacharacters": "% _ \\ %_\\",
    "sql": "' OR 1=1; DROP TABLE news_article; --",
    "tsquery syntax": "hội:* & !nghị | (a <-> b)",
    "html": "<script>alert(1)</script>",
    "combining marks only": "\u0301\u0303\u0309" * 20,
    "emoji": "🙂🇻🇳",
    "many words": " ".join(f"từ{n}" for n in range(30)),
    "spaces": "   \t  ",
}


@pytest.mark.parametrize("host", [HOST, PORTAL])
def test_odd_search_queries_get_a_page_with_a_message(browser, site, host):
    failures = []
    for name, query in QUERIES.items():
        response = browser.get("/tim-kiem", host=host, query_string={"q": query})
        body = response.get_data(as_text=True)
        if response.status_code != 200:
            failures.append(f"{name}: {response.status_code}")
        elif "<script>alert(1)</script>" in body or "\x1b" in body or "\x01" in body:
            failures.append(f"{name}: shown back unescaped")
        elif name != "spaces" and not re.search(r'<p class="(search-note|result-count)"', body):
            failures.append(f"{name}: no message")
    assert not failures, failures
    response = browser.get("/tim-kiem?q=h%00i", host=host)
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%C0%AF"])
def test_undecodable_queries_get_an_answer(browser, site, raw):
    """Bytes that are not UTF-8 (a lone surrogate, overlong forms) stay percent-encoded: searched as text."""
    response = browser.get(f"/tim-kiem?q={raw}", host=HOST)
    assert response.status_code == 200
    assert re.search(r'<p class="result-count" role="status">0 kết quả', response.get_data(as_text=True))


def test_wildcards_alone_are_explained(browser, site):
    response = browser.get("/tim-kiem?q=%25%5F%5C+%25%25", host=HOST)  # % _ \ %%
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "gõ ít nhất một chữ cái hoặc chữ số" in body
    assert 'class="search-results"' not in body


def test_a_long_query_is_cut_and_says_so(browser, site):
    body = browser.get("/tim-kiem", host=HOST, query_string={"q": "hội " * 1700}).get_data(as_text=True)
    assert "chỉ 200 ký tự đầu" in body
    assert page_number(body) == (1, 3)  # still searched, on what was kept


def test_many_words_are_cut_and_say_so(browser, site):
    body = browser.get("/tim-kiem", host=HOST, query_string={"q": " ".join(["hội"] + [f"x{n}" for n in range(12)])})
    assert "chỉ 8 từ đầu" in body.get_data(as_text=True)


def test_odd_slugs_are_404_or_400_not_500(browser, site):
    for path in ("/to-chuc-thanh-vien/%00", "/to-chuc-thanh-vien/viet%00lao", "/chuyen-muc/1/%00", "/the/1/%00",
                 "/trang/%00", "/tin/1/%00"):
        assert browser.get(path, host=HOST).status_code == 400, path
    for path in ("/to-chuc-thanh-vien/" + "x" * 5000, "/to-chuc-thanh-vien/%ED%A0%80", "/trang/a/b/c/d/e/f/g",
                 "/trang/" + "%25%5F" * 50, "/tin/99999999999999999999/", "/van-ban/-1", "/doi-tac/0"):
        assert browser.get(path, host=HOST).status_code == 404, path
