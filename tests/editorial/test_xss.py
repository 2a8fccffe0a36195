"""The sanitiser against an XSS list, through every writer: article bodies and titles, page content."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.core.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html
from app.extensions import db
from app.news.models import Article
from app.pages.models import Page
from tenants.context import tenant_context
from tests.editorial.conftest import article_form

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)" onmouseover=alert(1)>chữ</p>',
    '<a href="javascript:alert(1)">a</a>',
    '<a href="JaVaScRiPt:alert(1)">b</a>',
    '<a href="&#106;avascript:alert(1)">c</a>',
    '<a href=" javascript:alert(1)">d</a>',
    '<a href="java\tscript:alert(1)">e</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">f</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<p style="background:url(javascript:alert(1))">g</p>',
    '<div style="width: expression(alert(1))">h</div>',
    "<style>body { background: url(javascript:alert(1)) }</style>",
    '<iframe src="https://evil.example" srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example"><input name=x><button formaction=javascript:alert(1)>x</button></form>',
    "<p><b><i>lồng sai</p></b></i>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="https://vufo.org.vn" target="_blank" onfocus=alert(1) autofocus>ok</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="https://evil.example/">',
    '<table background="javascript:alert(1)"><tr><td>ô</td></tr></table>',
    "<!--<img src=x onerror=alert(1)>-->",
]
SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}


class Checker(HTMLParser):
    """Parses cleaned HTML the way a browser tokenizer would and collects anything outside the allow-list."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"attribute {tag}.{name}")
            if name in ("href", "src", "cite") and value is not None:
                scheme = urlsplit(value.strip().replace("\t", "")).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"url {value}")

    def handle_comment(self, data):
        self.problems.append("comment")


def problems(html: str) -> list[str]:
    checker = Checker()
    checker.feed(html)
    checker.close()
    return checker.problems


@pytest.mark.parametrize("vector", VECTORS)
def test_sanitiser_output_holds_only_the_allow_list(vector):
    cleaned = clean_html(vector)
    assert problems(cleaned) == [], cleaned
    assert clean_html(cleaned) == cleaned  # stable: cleaning twice changes nothing


def test_malformed_nesting_is_repaired():
    assert clean_html("<p><b><i>lồng sai</p></b></i>") == "<p><b><i>lồng sai</i></b></p>"


def test_every_article_writer_stores_clean_html(make_article, tenant_a):
    body = "".join(VECTORS) + "<p>Nội dung thật.</p>"
    article = make_article(tenant_a, "Bài thử", body=body)
    with tenant_context(tenant_a.id):
        stored = db.session.execute(sa.select(Article.body_html).where(Article.id == article.id)).scalar_one()
        db.session.execute(sa.select(Article).where(Article.id == article.id)).scalar_one().body_html = body
        db.session.commit()
        again = db.session.execute(sa.select(Article.body_html).where(Article.id == article.id)).scalar_one()
    for html in (stored, again):
        assert problems(html) == []
        assert "Nội dung thật." in html


def test_article_from_the_console_renders_safely_everywhere(browser, staff, category, tenant_a):
    title = '<script>alert("tiêu đề")</script><img src=x onerror=alert(1)>'
    body = "".join(VECTORS)
    browser.login("editor@tinh-a.vn")
    created = browser.post("/manage/tinh-a/news/new", article_form(category, title=title, body_html=body,
                                                                    summary="<b onclick=x>tóm tắt</b>"),
                           token_from="/manage/tinh-a/news/new")
    assert created.status_code == 302
    article_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    browser.post(f"/manage/tinh-a/news/{article_id}/approve", {"approve-publish_at": ""},
                 token_from=f"/manage/tinh-a/news/{article_id}")
    pages = [browser.get(f"/manage/tinh-a/news/{article_id}"), browser.get("/manage/tinh-a/news/"),
             browser.get(f"/tin/{article_id}/", host="tinh-a.localhost", follow_redirects=True),
             browser.get("/feed.atom", host="tinh-a.localhost"), browser.get("/", host="tinh-a.localhost")]
    for response in pages:
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg" not in html
        assert "<b onclick" not in html and 'href="javascript:' not in html and "<iframe" not in html
    assert "&lt;script&gt;alert(" in pages[2].get_data(as_text=True)  # the title shown as text


def test_page_content_is_sanitised_and_rendered_clean(make_page, tenant_a, browser):
    page = make_page(tenant_a, "Giới thiệu", slug="gioi-thieu")
    with tenant_context(tenant_a.id):
        stored = db.session.get(Page, page.id)
        stored.body_html = "".join(VECTORS) + "<p>Giới thiệu chung.</p>"
        stored.title = 'Giới thiệu <img src=x onerror=alert(1)>'
        db.session.commit()
        assert problems(stored.body_html) == []
    html = browser.get("/trang/gioi-thieu", host="tinh-a.localhost").get_data(as_text=True)
    assert "Giới thiệu chung." in html
    assert "<script" not in html.split("</head>")[1] and "<img src=x" not in html and "<svg" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
