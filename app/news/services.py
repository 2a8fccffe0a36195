"""Which news the public sees, in which language, in which order; related, previous and next."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.core.timeutil import utcnow
from app.core.vntext import slugify
from app.extensions import db
from app.news.models import Article, ArticleStatus, ArticleTag, Category, Tag


def public_filter(now=None) -> sa.ColumnElement[bool]:
    """Published and not in the future: the only articles a visitor may see."""
    return sa.and_(Article.status == ArticleStatus.PUBLISHED, Article.published_at <= (now or utcnow()))


def originals() -> sa.Select:
    """Public Vietnamese (or only-version) articles, newest first: what lists are built from.

    Their translations are not loaded here: `shown()` fetches the ones a locale needs in one batch, and
    `with_versions()` loads originals and translations together in a single statement."""
    return (sa.select(Article).where(public_filter(), Article.translation_of_id.is_(None))
            .order_by(Article.published_at.desc(), Article.id.desc()))


def _newest_first(articles) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published_at, a.id), reverse=True)


def with_versions(ids: sa.Select) -> list[Article]:
    """The originals whose ids `ids` selects, each with its public translations, in ONE statement; newest first.

    `ids` may carry its own ORDER BY/LIMIT/OFFSET (a page of a list): it is used as a subquery."""
    chosen = ids.subquery()
    chosen_ids = sa.select(chosen.c[0])
    rows = db.session.scalars(sa.select(Article).where(sa.or_(
        Article.id.in_(chosen_ids),
        sa.and_(Article.translation_of_id.in_(chosen_ids), public_filter())))).all()
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
    """All the tenant's categories in menu order, loaded once per request (the menu uses them too)."""
    if has_request_context():
        if "news_all_categories" not in g:
            g.news_all_categories = list(db.session.scalars(
                sa.select(Category).order_by(Category.position, Category.name_vi)))
        return g.news_all_categories
    return list(db.session.scalars(sa.select(Category).order_by(Category.position, Category.name_vi)))


def category_or_none(category_id: int) -> Category | None:
    return next((c for c in categories() if c.id == category_id), None)


@dataclass
class HomeNews:
    featured: list[Article]
    latest: list[Article]
    by_category: list[tuple[Category, list[Article]]]


def home_news(featured: int = 5, latest: int = 6, per_category: int = 4) -> HomeNews:
    """Everything the home page lists, in one statement: the union of the featured, the latest and each
    category's newest ids, loaded with their translations, then split here. Each list is exact: an article
    missing from a list's own top-N can never outrank one inside it."""
    public = sa.and_(public_filter(), Article.translation_of_id.is_(None))
    newest = (Article.published_at.desc(), Article.id.desc())
    rank = sa.func.row_number().over(partition_by=Article.category_id, order_by=newest).label("rank")
    ranked = sa.select(Article.id, rank).where(public).subquery()
    top_featured = sa.select(Article.id).where(public, Article.featured.is_(True)).order_by(*newest) \
        .limit(featured).subquery()
    top_latest = sa.select(Article.id).where(public).order_by(*newest).limit(latest).subquery()
    ids = sa.union(sa.select(ranked.c.id).where(ranked.c.rank <= per_category),
                   sa.select(top_featured.c.id), sa.select(top_latest.c.id))
    articles = with_versions(sa.select(ids.subquery().c.id))
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
    stmt = (sa.select(Article).where(Article.id == article_id, public_filter())
            .options(joinedload(Article.tags), joinedload(Article.translations),
                     joinedload(Article.translation_of).joinedload(Article.translations)))
    return db.session.scalars(stmt).unique().first()


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
    key = sa.tuple_(Article.published_at, Article.id)
    here = (article.published_at, article.id)
    public = sa.and_(public_filter(), Article.translation_of_id.is_(None))
    older = sa.select(Article.id).where(public, key < here) \
        .order_by(Article.published_at.desc(), Article.id.desc()).limit(1).subquery()
    newer = sa.select(Article.id).where(public, key > here) \
        .order_by(Article.published_at.asc(), Article.id.asc()).limit(1).subquery()
    same = sa.select(Article.id).where(public, Article.id != article.id, Article.category_id == article.category_id) \
        .order_by(Article.published_at.desc(), Article.id.desc()).limit(related_limit).subquery()
    ids = sa.union(*(sa.select(q.c.id) for q in (older, newer, same)))
    found = with_versions(sa.select(ids.subquery().c.id))
    key_of = lambda a: (a.published_at, a.id)  # noqa: E731
    below = [a for a in found if key_of(a) < here]
    above = [a for a in found if key_of(a) > here]
    return Around(previous=below[0] if below else None, following=above[-1] if above else None,
                  related=[a for a in found if a.category_id == article.category_id and a.id != article.id]
                  [:related_limit])



def tagged(tag: Tag) -> sa.Select:
    return originals().where(Article.id.in_(sa.select(ArticleTag.article_id).where(ArticleTag.tag_id == tag.id)))


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
