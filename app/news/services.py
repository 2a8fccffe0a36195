"""Which news the public sees, in which language, in which order; related, previous and next."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.core.timeutil import utcnow
from app.core.vntext import slugify
from app.extensions import db
from app.news.models import Article, ArticleStatus, ArticleTag, Category, Tag
from tenants.scoping import built_statement


def public_filter(now=None) -> sa.ColumnElement[bool]:
    """Published and not in the future: the only articles a visitor may see. `now` may be NOW, a bind parameter
    given at execution (the statements built once, below)."""
    now = utcnow() if now is None else now
    return sa.and_(Article.status == ArticleStatus.PUBLISHED, Article.published_at <= now)


NOW = sa.bindparam("now", type_=Article.published_at.type)


def _now() -> dict:
    return {"now": utcnow()}


def originals(now=None) -> sa.Select:
    """Public Vietnamese (or only-version) articles, newest first: what lists are built from.

    Their translations are not loaded here: `shown()` fetches the ones a locale needs in one batch, and
    `with_versions()` loads originals and translations together in a single statement."""
    return (sa.select(Article).where(public_filter(now), Article.translation_of_id.is_(None))
            .order_by(Article.published_at.desc(), Article.id.desc()))


def _newest_first(articles) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published_at, a.id), reverse=True)


# Lists show titles, summaries and covers: the bodies and the search text (most of a row's bytes) stay in the
# database, and reading one from a listed article raises instead of running a statement per article.
LISTED_ONLY = (defer(Article.body_html, raiseload=True), defer(Article.search_text, raiseload=True))


def versions_statement(ids: sa.Select, now=None) -> sa.Select:
    """The statement with_versions() runs: the originals `ids` selects and their public translations."""
    chosen = ids.cte("chosen")  # evaluated once, though used twice
    chosen_ids = sa.select(chosen.c[0])
    # id IN (the chosen ∪ their public translations): two index lookups, then the rows by primary key
    # (an OR of the two IN tests would read the whole table instead).
    versions_ids = sa.select(Article.id).where(Article.translation_of_id.in_(chosen_ids), public_filter(now))
    return sa.select(Article).options(*LISTED_ONLY).where(Article.id.in_(sa.union_all(chosen_ids, versions_ids)))


def with_versions(ids: sa.Select) -> list[Article]:
    """The originals whose ids `ids` selects, each with its public translations, in ONE statement; newest first.
    Their bodies are not loaded (LISTED_ONLY).

    `ids` may carry its own ORDER BY/LIMIT/OFFSET (a page of a list): it is used as a subquery."""
    return load_versions(versions_statement(ids))


def load_versions(stmt: sa.Select, params: dict | None = None) -> list[Article]:
    """Run a versions_statement() (one built once, with its bind parameters in `params`): the originals, each with
    its translations attached, newest first."""
    rows = db.session.scalars(stmt, params or {}).all()
    found = [a for a in rows if a.translation_of_id is None]
    versions: dict[int, list[Article]] = {}
    for a in rows:
        if a.translation_of_id is not None:
            versions.setdefault(a.translation_of_id, []).append(a)
    for original in found:
        set_committed_value(original, "translations", versions.get(original.id, []))
        for version in versions.get(original.id, []):
            set_committed_value(version, "translation_of", original)
    return _newest_first(found)


def ids_of(stmt: sa.Select) -> sa.Select:
    """`stmt` (a select of Article) reduced to the ids, keeping its filters, order and limits."""
    return stmt.with_only_columns(Article.id)


@dataclass
class Shown:
    """An article as a visitor of one language sees it: the version shown, and whether it is a fallback."""

    article: Article
    original: Article
    fallback: bool  # the visitor asked for English and this is the Vietnamese text

    @property
    def id(self) -> int:
        return self.original.id


def for_locale(article: Article, locale: str) -> Shown:
    """The version of `article` to show in `locale`: its public English version on the English site."""
    original = article.translation_of or article
    if locale == original.locale:
        return Shown(original, original, False)
    version = next((t for t in original.translations if t.locale == locale and t.is_public), None)
    return Shown(version or original, original, version is None)


def shown(articles, locale: str) -> list[Shown]:
    """Each article as `locale` sees it; the translations needed are fetched in one batch (never one by one)."""
    articles = list(articles)
    missing = [a for a in articles if a.translation_of_id is None and a.locale != locale
               and "translations" not in a.__dict__]
    if missing:
        versions: dict[int, list[Article]] = {a.id: [] for a in missing}
        for version in db.session.scalars(sa.select(Article).where(
                Article.translation_of_id.in_(list(versions)), public_filter())):
            versions[version.translation_of_id].append(version)
        for original in missing:
            set_committed_value(original, "translations", versions[original.id])
    return [for_locale(a, locale) for a in articles]


def categories() -> list[Category]:
    """All the tenant's categories in menu order (the menu uses them too): one statement, then kept in this
    process until the tenant's content changes (detached, read-only)."""
    if has_request_context():
        if "news_all_categories" not in g:
            from app.site.page_cache import per_generation

            g.news_all_categories = per_generation("categories", _load_categories)
        return g.news_all_categories
    return list(db.session.scalars(sa.select(Category).order_by(Category.position, Category.name_vi)))


def _load_categories() -> list[Category]:
    found = list(db.session.scalars(sa.select(Category).order_by(Category.position, Category.name_vi)))
    for category in found:
        db.session.expunge(category)
    return found


def category_or_none(category_id: int) -> Category | None:
    return next((c for c in categories() if c.id == category_id), None)


@dataclass
class HomeNews:
    featured: list[Article]
    latest: list[Article]
    by_category: list[tuple[Category, list[Article]]]


def home_news(featured: int = 5, latest: int = 6, per_category: int = 4) -> HomeNews:
    """Everything the home page lists, in one statement: the union of the featured, the latest and each
    category's newest ids (one short index range each: ix_news_article_listing and its per-category twin),
    loaded with their translations, then split here. Each list is exact: an article missing from a list's
    own top-N can never outrank one inside it."""
    category_ids = tuple(c.id for c in categories())

    def build() -> sa.Select:
        public = sa.and_(public_filter(NOW), Article.translation_of_id.is_(None))

        def top(limit: int, *where) -> sa.Select:
            arm = sa.select(Article.id).where(public, *where) \
                .order_by(Article.published_at.desc(), Article.id.desc()).limit(limit).subquery()
            return sa.select(arm.c.id)

        arms = [top(featured, Article.featured.is_(True)), top(latest)]
        arms += [top(per_category, Article.category_id == category_id) for category_id in category_ids]
        return versions_statement(sa.select(sa.union(*arms).subquery().c.id), NOW)

    stmt = built_statement("home_news", (featured, latest, per_category, category_ids), build)
    articles = load_versions(stmt, _now())
    groups: dict[int, list[Article]] = {}
    for a in articles:
        groups.setdefault(a.category_id, []).append(a)
    ordered = sorted({a.category for a in articles}, key=lambda c: (c.position, c.name_vi))
    return HomeNews(featured=[a for a in articles if a.featured][:featured], latest=articles[:latest],
                    by_category=[(c, groups[c.id][:per_category]) for c in ordered])


def latest(limit: int = 5, category: Category | None = None, featured: bool | None = None) -> list[Article]:
    stmt = originals()
    if category is not None:
        stmt = stmt.where(Article.category_id == category.id)
    if featured is not None:
        stmt = stmt.where(Article.featured.is_(featured))
    return list(db.session.scalars(stmt.limit(limit)))


def public_article(article_id: int) -> Article | None:
    """A public article with its category, tags, translations and original, in one statement."""
    stmt = built_statement("public_article", None, lambda: (
        sa.select(Article).where(Article.id == sa.bindparam("article_id"), public_filter(NOW))
        .options(defer(Article.search_text), joinedload(Article.tags), joinedload(Article.translations),
                 joinedload(Article.translation_of).joinedload(Article.translations))))
    return db.session.scalars(stmt, {"article_id": article_id, **_now()}).unique().first()


@dataclass
class Around:
    previous: Article | None
    following: Article | None
    related: list[Article]


def around(article: Article, related_limit: int = 4) -> Around:
    """Previous, next and related articles of an original, in one statement (with their translations).

    The union holds the true previous (the newest older one), the true next and the category's newest
    `related_limit`; since every other row is a public original too, the extremes below and above the
    article's key are exactly previous and next, and the newest of its category are exactly the related."""
    here = (article.published_at, article.id)

    def build() -> sa.Select:
        key = sa.tuple_(Article.published_at, Article.id)
        at = sa.tuple_(sa.bindparam("here_at", type_=Article.published_at.type), sa.bindparam("here_id"))
        public = sa.and_(public_filter(NOW), Article.translation_of_id.is_(None))
        older = sa.select(Article.id).where(public, key < at) \
            .order_by(Article.published_at.desc(), Article.id.desc()).limit(1).subquery()
        newer = sa.select(Article.id).where(public, key > at) \
            .order_by(Article.published_at.asc(), Article.id.asc()).limit(1).subquery()
        same = sa.select(Article.id).where(public, Article.id != sa.bindparam("here_id"),
                                           Article.category_id == sa.bindparam("category_id")) \
            .order_by(Article.published_at.desc(), Article.id.desc()).limit(related_limit).subquery()
        ids = sa.union(*(sa.select(q.c.id) for q in (older, newer, same)))
        return versions_statement(sa.select(ids.subquery().c.id), NOW)

    found = load_versions(built_statement("around", related_limit, build),
                          {"here_at": article.published_at, "here_id": article.id,
                           "category_id": article.category_id, **_now()})
    key_of = lambda a: (a.published_at, a.id)  # noqa: E731
    below = [a for a in found if key_of(a) < here]
    above = [a for a in found if key_of(a) > here]
    return Around(previous=below[0] if below else None, following=above[-1] if above else None,
                  related=[a for a in found if a.category_id == article.category_id and a.id != article.id]
                  [:related_limit])



def tagged(tag: Tag, now=None) -> sa.Select:
    return originals(now).where(Article.id.in_(sa.select(ArticleTag.article_id).where(ArticleTag.tag_id == tag.id)))


def set_tags(article: Article, names: list[str]) -> None:
    """Replace the article's tags by `names` (created in the article's tenant when new)."""
    wanted = {slugify(n, 120): n.strip() for n in names if n.strip()}
    existing = {t.slug: t for t in db.session.scalars(sa.select(Tag).where(Tag.slug.in_(wanted)))}
    for slug, name in wanted.items():
        if slug not in existing:
            existing[slug] = Tag(slug=slug, name=name)
            db.session.add(existing[slug])
    db.session.flush()
    db.session.execute(sa.delete(ArticleTag).where(ArticleTag.article_id == article.id))
    for slug in wanted:
        db.session.add(ArticleTag(article_id=article.id, tag_id=existing[slug].id))
    db.session.flush()
    db.session.refresh(article, ["tags"])
    article.updated_at = utcnow()  # re-folds the search text, tags included
    db.session.flush()


@dataclass(frozen=True)
class PortalItem:
    """A province's article as the national portal lists it (plain values: read across tenants)."""

    title: str
    summary: str
    published_at: object
    tenant_name: str
    host: str | None
    article_id: int
    slug: str


def shared_with_portal(limit: int = 8) -> list[PortalItem]:
    """Provinces' articles offered to the national portal, newest first (national work: all tenants)."""
    from tenants.models import Tenant
    from tenants.scoping import all_tenants

    with all_tenants("portal: news shared by provinces", public_read=True):
        from app.nominations.models import Nomination

        approved = sa.select(Nomination.article_id).where(Nomination.status == "approved",
                                                          Nomination.tenant_id == Article.tenant_id)
        stmt = originals().where(Article.id.in_(approved)).limit(limit)
        articles = db.session.scalars(stmt).all()
        tenants = {t.id: t for t in db.session.scalars(
            sa.select(Tenant).where(Tenant.id.in_({a.tenant_id for a in articles}))
            .options(sa.orm.selectinload(Tenant.domains)))}
        items = []
        for article in articles:
            tenant = tenants[article.tenant_id]
            domain = tenant.primary_domain
            items.append(PortalItem(article.title, article.summary, article.published_at, tenant.name_vi,
                                    domain.host if domain else None, article.id, article.slug))
        return items
