"""Budget: home, news list and article pages run at most 5 SQL statements when the page cache misses,
whatever the number of articles, in both languages (and the count never grows with the rows: no N+1)."""

import re
from datetime import timedelta

import pytest

from tests.members.test_statement_counts import counting

HOST = "tinh-a.localhost"
BUDGET = 5
pytestmark = pytest.mark.usefixtures("no_page_cache")


@pytest.fixture
def quiet(app, monkeypatch):
    # Counting a view writes (embedded mode); the footer numbers have their own cache (warmed below).
    monkeypatch.setitem(app.config, "STATS_COUNTING", False)


def _site(tenant, n, make_article, make_category, make_page):
    activities = make_category(tenant, "Tin tức hoạt động", "Activities")
    aid = make_category(tenant, "Vận động viện trợ", "Aid aid")
    about = make_page(tenant, "Giới thiệu", slug="gioi-thieu")
    make_page(tenant, "Chức năng, nhiệm vụ", parent=about, slug="chuc-nang-nhiem-vu")
    made = []
    for i in range(n):
        category = (activities, aid)[i % 2]
        original = make_article(tenant, f"Hoạt động đối ngoại nhân dân số {i}", category=category,
                                ago=timedelta(days=i + 1), tags=("Hữu nghị", f"Chủ đề {i % 3}"),
                                featured=i % 4 == 0)
        made.append((original.id, original.slug))  # plain values: the rows are tenant A's
        if i % 3 == 0:
            make_article(tenant, f"People-to-people diplomacy no. {i}", category=category, locale="en",
                         original=original, ago=timedelta(days=i + 1))
    return made


def _paths(browser, made):
    middle_id, middle_slug = made[len(made) // 2]
    list_html = browser.get("/tin-tuc/", host=HOST).get_data(as_text=True)
    category = re.search(r'href="(/chuyen-muc/\d+/[^"?]+)"', list_html).group(1)
    return {"home": "/", "news list": "/tin-tuc/", "news list page 2": "/tin-tuc/?page=2",
            "category list": category, "article": f"/tin/{middle_id}/{middle_slug}"}


def _counts(browser, paths, lang):
    browser.get(f"/tim-kiem?lang={lang}", host=HOST)  # switch language, warm the footer's own cache
    result = {}
    for label, path in paths.items():
        with counting() as statements:
            assert browser.get(path, host=HOST).status_code == 200, label
        result[label] = statements[:]
    return result


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_public_pages_stay_within_five_statements(browser, quiet, tenant_a, tenant_b, make_article, make_category,
                                                  make_page, lang):
    made = _site(tenant_a, 24, make_article, make_category, make_page)
    _site(tenant_b, 3, make_article, make_category, make_page)
    counts = _counts(browser, _paths(browser, made), lang)
    over = {label: statements for label, statements in counts.items() if len(statements) > BUDGET}
    assert not over, "\n".join(f"{label}: {len(s)} statements\n  " + "\n  ".join(x[:160] for x in s)
                               for label, s in over.items())


def test_statement_counts_do_not_grow_with_the_articles(browser, quiet, tenant_a, make_article, make_category,
                                                        make_page):
    made = _site(tenant_a, 4, make_article, make_category, make_page)
    paths = _paths(browser, made)
    # The first request after a change reloads what the process keeps of the tenant (a list's count, the menu):
    # compare the requests after that, before and after the new articles.
    for path in paths.values():
        browser.get(path, host=HOST)
    few = {label: len(s) for label, s in _counts(browser, paths, "en").items()}
    for i in range(30):
        make_article(tenant_a, f"Tin bổ sung {i}", ago=timedelta(hours=i), tags=("Hữu nghị",))
    for path in paths.values():
        browser.get(path, host=HOST)
    many = {label: len(s) for label, s in _counts(browser, paths, "en").items()}
    assert many == few
