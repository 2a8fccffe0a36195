"""Every public page type renders for two demo tenants (Hải Dương, Vĩnh Phúc) with its own content and none
of the other's; the national portal's pages show VUFO's own. One demo load serves every check."""

import html
import re
from dataclasses import dataclass, field

import feedparser
import pytest
import sqlalchemy as sa
from lxml import etree

from app.aid.models import AidProject
from app.demo.loader import load_demo
from app.documents.models import Document
from app.extensions import db
from app.members.models import MemberOrganization, PartnerLocality
from app.news import services as news
from app.news.models import ArticleTag, Category, Tag
from app.pages.models import Page
from tenants.context import tenant_context
from tenants.models import Tenant

PORT = ":5000"


@dataclass
class Site:
    """What one demo tenant publishes, read from the database (plain values only)."""

    slug: str
    name: str
    host: str
    titles: set[str] = field(default_factory=set)  # public original articles
    ids: set[int] = field(default_factory=set)
    article: tuple[int, str, str] | None = None  # (id, slug, title) of an article only this tenant has
    category: tuple[int, str] | None = None
    tag: tuple[int, str] | None = None
    members: dict[str, str] = field(default_factory=dict)  # slug -> name
    descriptions: dict[str, str] = field(default_factory=dict)  # slug -> a sentence of its description
    partners: set[str] = field(default_factory=set)
    documents: dict[int, str] = field(default_factory=dict)  # id -> number
    projects: set[str] = field(default_factory=set)
    page_text: str = ""  # a sentence of its "Chức năng, nhiệm vụ" page


def _read(tenant: Tenant) -> Site:
    site = Site(tenant.slug, tenant.name_vi, tenant.primary_domain.host + PORT)
    with tenant_context(tenant.id):
        public = db.session.scalars(news.originals()).all()
        site.titles = {a.title for a in public}
        site.ids = {a.id for a in public}
        site.category = db.session.execute(sa.select(Category.id, Category.slug).order_by(Category.position)).first()
        site.members = dict(db.session.execute(sa.select(MemberOrganization.slug, MemberOrganization.name_vi)
                                               .where(MemberOrganization.published)).all())
        for slug, description in db.session.execute(sa.select(MemberOrganization.slug,
                                                              MemberOrganization.description_html)):
            site.descriptions[slug] = re.sub(r"<[^>]+>", "", description).split(".")[0]
        site.partners = set(db.session.scalars(sa.select(PartnerLocality.name_vi).where(PartnerLocality.published)))
        site.documents = dict(db.session.execute(sa.select(Document.id, Document.number)
                                                 .where(Document.published)).all())
        site.projects = set(db.session.scalars(sa.select(AidProject.title_vi).where(AidProject.public)))
        body = db.session.scalars(sa.select(Page.body_html).where(Page.slug == "chuc-nang-nhiem-vu")).first() or ""
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
        site.page_text = re.search(r"Liên hiệp các tổ chức hữu nghị [^.,]+? là tổ chức", text).group(0)
        site.public = public  # read by _choose, then dropped
    return site


def _choose(site: Site, other: Site) -> None:
    """An article, and a tag of it, that only `site` has."""
    with tenant_context(db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == site.slug))):
        for article in site.public:
            tag = db.session.execute(sa.select(Tag.id, Tag.slug).join(ArticleTag, ArticleTag.tag_id == Tag.id)
                                     .where(ArticleTag.article_id == article.id)).first()
            if article.title not in other.titles and tag is not None:
                site.article, site.tag = (article.id, article.slug, article.title), tuple(tag)
                break
    del site.public


@pytest.fixture
def sites(app):
    load_demo()
    tenants = {t.slug: t for t in db.session.scalars(sa.select(Tenant))}
    hd, vp, vufo = (_read(tenants[s]) for s in ("hai-duong", "vinh-phuc", "vufo"))
    _choose(hd, vp)
    _choose(vp, hd)
    _choose(vufo, hd)
    return hd, vp, vufo


class Checker:
    def __init__(self, browser):
        self.browser, self.failures = browser, []

    def get(self, label: str, host: str, path: str, status: int = 200):
        response = self.browser.get(path, host=host)
        if response.status_code != status:
            self.failures.append(f"{label} {host}{path}: status {response.status_code}, expected {status}")
            return None
        return response

    def page(self, label: str, host: str, path: str, present=(), absent=()):
        """200, at least one of `present` in the page (when any is given) and none of `absent`."""
        response = self.get(label, host, path)
        if response is None:
            return None
        raw = response.get_data(as_text=True)
        self.accessible_markup(f"{label} {host}{path}", raw)
        body = html.unescape(raw)
        present, absent = [p for p in present if p], [a for a in absent if a]
        if present and not any(p in body for p in present):
            self.failures.append(f"{label} {host}{path}: none of its own {sorted(present)[:3]}…")
        leaked = [a for a in absent if a in body]
        if leaked:
            self.failures.append(f"{label} {host}{path}: shows the other tenant's {leaked[:3]}")
        return body

    def accessible_markup(self, where: str, raw: str) -> None:
        """TT 26/2020 basics on every page: language, skip link to main, alt on images, no empty ARIA values."""
        problems = []
        if not re.search(r'<html lang="(vi|en)"', raw):
            problems.append("no lang on <html>")
        if 'class="skip-link" href="#main"' not in raw or '<main id="main"' not in raw:
            problems.append("no skip link to <main id=main>")
        problems += [f"image without alt: {img}" for img in re.findall(r"<img\b[^>]*>", raw) if " alt=" not in img]
        if re.search(r'(aria-[a-z]+|autocomplete)="None"', raw):
            problems.append('an attribute rendered as "None"')
        self.failures += [f"{where}: {p}" for p in problems]


def exclusive(titles: set[str], others: set[str]) -> set[str]:
    """The titles in `titles` that are not part of any in `others` (so that finding one proves a leak)."""
    return {t for t in titles if not any(t in o for o in others)}


def _ids_linked(body: str) -> set[int]:
    return {int(i) for i in re.findall(r'href="[^"]*/tin/(\d+)/', body)}


def test_each_page_type_renders_for_two_tenants_with_their_own_content(browser, sites):
    hd, vp, _vufo = sites
    check = Checker(browser)
    for own, other in ((hd, vp), (vp, hd)):
        mine, theirs = exclusive(own.titles, other.titles), exclusive(other.titles, own.titles)
        assert mine and theirs and own.article and own.tag
        host = own.host
        check.page("home", host, "/", mine, theirs | {other.name})
        check.page("news list", host, "/tin-tuc/", mine, theirs)
        check.page("news list page 2", host, "/tin-tuc/?page=2", mine, theirs)
        category_id, category_slug = own.category
        check.page("category", host, f"/chuyen-muc/{category_id}/{category_slug}", mine, theirs)
        article_id, article_slug, title = own.article
        check.page("article", host, f"/tin/{article_id}/{article_slug}", {title}, theirs)
        tag_id, tag_slug = own.tag
        check.page("tag", host, f"/the/{tag_id}/{tag_slug}", {title}, theirs)
        check.page("page", host, "/trang/gioi-thieu/chuc-nang-nhiem-vu", {own.page_text}, {other.page_text})
        own_names = set(own.members.values())
        check.page("members", host, "/to-chuc-thanh-vien", own_names, set(other.members.values()) - own_names)
        shared = sorted(set(own.members) & set(other.members))
        assert shared, "both demo tenants have a member of the same slug"
        check.page("member", host, f"/to-chuc-thanh-vien/{shared[0]}", {own.descriptions[shared[0]]},
                   {other.descriptions[shared[0]]})
        check.page("partners", host, "/doi-tac", own.partners, other.partners - own.partners)
        own_numbers = set(own.documents.values())
        check.page("documents", host, "/van-ban", own_numbers, set(other.documents.values()) - own_numbers)
        document_id, number = next(iter(own.documents.items()))
        check.page("document", host, f"/van-ban/{document_id}", {number})
        download = check.get("download", host, f"/van-ban/{document_id}/tai-ve")
        place = {"hai-duong": "hai duong", "vinh-phuc": "vinh phuc"}
        if download is not None:  # the demo's PDFs carry their union's name in their text (read as search reads it)
            from app.core.vntext import fold
            from app.documents.text import pdf_text

            assert download.data.startswith(b"%PDF")
            text = fold(pdf_text(download.data).text)
            assert place[own.slug] in text and place[other.slug] not in text
        check.page("aid", host, "/vien-tro/", own.projects, other.projects - own.projects)
        check.get("national ranking is the portal's", host, "/thong-ke", status=404)

        body = check.page("search", host, "/tim-kiem?q=h%E1%BB%AFu+ngh%E1%BB%8B")
        if body is not None:
            linked = _ids_linked(body)
            assert linked and linked <= own.ids, f"search on {host} links {linked - own.ids}"

        for feed_path in ("/feed.atom", "/feed.rss", f"/chuyen-muc/{category_id}/feed.atom"):
            response = check.get("feed", host, feed_path)
            if response is not None:
                feed = feedparser.parse(response.data)
                assert not feed.bozo and feed.entries, feed_path
                assert all(f"//{host}/" in entry.link for entry in feed.entries), feed_path
                assert {e.title for e in feed.entries} <= own.titles | own_english(own), feed_path
        response = check.get("sitemap", host, "/sitemap.xml")
        if response is not None:
            locs = [e.text for e in etree.fromstring(response.data).iter("{*}loc")]
            assert locs and all(loc.startswith(f"http://{host}/") for loc in locs)
            assert any(f"/tin/{article_id}/" in loc for loc in locs)
            assert not any(f"/tin/{i}/" in loc for loc in locs for i in list(other.ids)[:50])
    assert not check.failures, "\n".join(check.failures)


def own_english(site: Site) -> set[str]:
    from app.news.models import Article

    with tenant_context(db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == site.slug))):
        return set(db.session.scalars(sa.select(Article.title).where(Article.locale == "en")))


def test_the_portal_shows_vufos_own_pages_and_the_provinces_directory(browser, sites):
    hd, vp, vufo = sites
    check = Checker(browser)
    host = vufo.host
    provinces_only = exclusive(hd.titles | vp.titles, vufo.titles)
    check.page("portal home", host, "/", {"Hải Dương", "Vĩnh Phúc"})
    check.page("portal news", host, "/tin-tuc/", exclusive(vufo.titles, hd.titles), provinces_only)
    article_id, article_slug, title = vufo.article
    check.page("portal article", host, f"/tin/{article_id}/{article_slug}", {title}, provinces_only)
    check.page("portal page", host, "/trang/gioi-thieu/chuc-nang-nhiem-vu", {vufo.page_text}, {hd.page_text})
    check.page("portal ranking", host, "/thong-ke", {hd.name, vp.name})
    # the portal searches every union (39 on the demo's 2025 map): a union's own place name finds its articles,
    # labelled with links to its site
    for union, query in ((hd, "H%E1%BA%A3i+D%C6%B0%C6%A1ng"), (vp, "V%C4%A9nh+Ph%C3%BAc")):
        body = check.page("portal search", host, f"/tim-kiem?q={query}", {union.name})
        if body is not None:
            assert union.host in body, union.host
    for path in ("/feed.atom", "/sitemap.xml"):
        response = check.get("portal feed/sitemap", host, path)
        if response is not None:
            assert b"hai-duong.localhost" not in response.data and b"vinh-phuc.localhost" not in response.data
    assert not check.failures, "\n".join(check.failures)
