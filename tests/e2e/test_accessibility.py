"""axe-core in Debian's Chromium: the public pages of two provincial sites and the national portal have no
serious or critical accessibility violation (WCAG 2.1 AA, TT 26/2020/TT-BTTTT)."""

import re

import pytest

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
           "resultTypes": ["violations"]}


def blocking_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes)")
        for node in v["nodes"][:4]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def check(page, label: str, failures: dict) -> None:
    found = blocking_violations(page)
    if found:
        failures[f"{label} {page.url}"] = describe(found)


def test_two_sites_and_the_portal_have_no_serious_violations(live_server, page):
    _base, port = live_server
    failures: dict[str, str] = {}

    # Vĩnh Phúc: home, then an article reached by following a link, in Vietnamese and in English.
    page.goto(f"http://vinh-phuc.localhost:{port}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Vĩnh Phúc" in page.locator(".brand-name").inner_text()
    check(page, "home (vi)", failures)
    page.locator("#latest-heading ~ .teasers .teaser-title a").first.click()
    page.wait_for_url(re.compile(r"/tin/\d+/"))
    article_url = page.url
    assert page.get_by_role("heading", level=1).is_visible()
    check(page, "article (vi)", failures)
    page.get_by_role("link", name="EN", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.split("?")[0] == article_url.split("?")[0]
    check(page, "article (en)", failures)
    page.goto(f"http://vinh-phuc.localhost:{port}/")
    assert "Vinh Phuc" in page.locator(".brand-name").inner_text()
    check(page, "home (en)", failures)
    page.get_by_role("link", name="VI", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Vĩnh Phúc" in page.locator(".brand-name").inner_text()

    page.goto(f"http://vinh-phuc.localhost:{port}/tin-tuc/")
    check(page, "news list", failures)
    page.goto(f"http://vinh-phuc.localhost:{port}/trang/gioi-thieu/chuc-nang-nhiem-vu")
    assert page.get_by_role("heading", level=1).inner_text() == "Chức năng, nhiệm vụ"
    check(page, "page", failures)
    page.goto(f"http://vinh-phuc.localhost:{port}/tim-kiem?q=huu+nghi")
    assert page.locator(".search-results li").count() > 0
    check(page, "search", failures)

    # Hải Dương: its own home and articles, never Vĩnh Phúc's.
    page.goto(f"http://hai-duong.localhost:{port}/")
    assert "Hải Dương" in page.locator(".brand-name").inner_text()
    check(page, "home (Hải Dương)", failures)
    page.get_by_role("link", name=re.compile("tổng kết công tác năm 2023")).first.click()
    page.wait_for_url(re.compile(r"/tin/\d+/"))
    assert "1,3 triệu USD" in page.locator("article.article").inner_text()
    check(page, "article (Hải Dương)", failures)
    for path, label in (("/to-chuc-thanh-vien", "members"), ("/doi-tac", "partners"), ("/van-ban", "documents"),
                        ("/vien-tro/", "aid"),
                        ("/tim-kiem?q=%C4%91%E1%BB%91i+ngo%E1%BA%A1i", "search (Hải Dương)")):
        response = page.goto(f"http://hai-duong.localhost:{port}{path}")
        assert response.status == 200, path
        check(page, label, failures)
    page.goto(f"http://hai-duong.localhost:{port}/to-chuc-thanh-vien")
    page.locator("main ul.cards a").first.click()
    page.wait_for_url(re.compile(r"/to-chuc-thanh-vien/.+"))
    check(page, "member", failures)
    page.goto(f"http://hai-duong.localhost:{port}/van-ban")
    page.locator("main a[href*='/van-ban/']").first.click()
    page.wait_for_url(re.compile(r"/van-ban/\d+"))
    check(page, "document", failures)

    # The national portal on the platform host.
    page.goto(f"http://localhost:{port}/")
    assert page.locator(".directory").count() == 1
    check(page, "portal", failures)
    page.goto(f"http://localhost:{port}/tim-kiem?q=huu+nghi")
    check(page, "portal search", failures)
    page.goto(f"http://localhost:{port}/thong-ke")
    check(page, "portal ranking", failures)

    assert not failures, "serious or critical axe-core violations:\n" + "\n".join(
        f"{where}\n{what}" for where, what in failures.items())


def test_skip_link_is_the_first_stop_and_visibly_focused(live_server, page):
    _base, port = live_server
    page.goto(f"http://hai-duong.localhost:{port}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
        return {cls: el.className, href: el.getAttribute('href'), top: box.top, height: box.height,
                outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
    }""")
    assert focused["cls"] == "skip-link" and focused["href"] == "#main"
    assert focused["top"] >= 0 and focused["height"] > 0, "the focused skip link is on screen"
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the next link shows where the focus is"
