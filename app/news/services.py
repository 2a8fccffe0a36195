"""Which news the public sees, in which language, in which order; related, previous and next."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.core.timeutil import utcnow
from app.core.vntext import slugify
from app.extensions import db
from app.news.models import Article, ArticleStatus, ArticleTag, Category, Tag


def public_filter(now=None) -> sa.ColumnElement[bool]:
    """Published and not in the future: the only articles a visitor may see."""
    return sa.and_(Article.status == ArticleStatus.PUBLISHED, Article.published_at <= (now or utcnow()))


def originals() -> sa.Select:
    """Public Vietnamese (or only-version) articles, newest first: what lists are built from."""
    return (sa.select(Article).where(public_filter(), Article.translation_of_id.is_(None))
            .options(selectinload(Article.translations))
            .order_by(Article.published_at.desc(), Article.id.desc()))


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
    return [for_locale(a, locale) for a in articles]


def categories() -> list[Category]:
    return list(db.session.scalars(sa.select(Category).order_by(Category.position, Category.name_vi)))


def latest(limit: int = 5, category: Category | None = None, featured: bool | None = None) -> list[Article]:
    stmt = originals()
    if category is not None:
        stmt = stmt.where(Article.category_id == category.id)
    if featured is not None:
        stmt = stmt.where(Article.featured.is_(featured))
    return list(db.session.scalars(stmt.limit(limit)))


def latest_by_category(per_category: int = 4) -> list[tuple[Category, list[Article]]]:
    """Each category with its newest public articles (categories without any are left out)."""
    result = []
    for category in categories():
        items = latest(per_category, category=category)
        if items:
            result.append((category, items))
    return result


def public_article(article_id: int) -> Article | None:
    article = db.session.scalars(sa.select(Article).where(Article.id == article_id, public_filter())).first()
    return article


def related(article: Article, limit: int = 4) -> list[Article]:
    """Newest public articles of the same category, then sharing a tag, the article itself excluded."""
    stmt = originals().where(Article.id != article.id, Article.category_id == article.category_id)
    return list(db.session.scalars(stmt.limit(limit)))


def neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """(previous, next) public originals by publication time."""
    key = (article.published_at, article.id)
    older = originals().where(sa.tuple_(Article.published_at, Article.id) < key)
    newer = (sa.select(Article).where(public_filter(), Article.translation_of_id.is_(None),
                                      sa.tuple_(Article.published_at, Article.id) > key)
             .order_by(Article.published_at.asc(), Article.id.asc()))
    return db.session.scalars(older.limit(1)).first(), db.session.scalars(newer.limit(1)).first()


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

    with all_tenants("portal: news shared by provinces"):
        stmt = originals().where(Article.share_national.is_(True)).limit(limit)
        items = []
        for article in db.session.scalars(stmt):
            tenant = db.session.get(Tenant, article.tenant_id)
            domain = tenant.primary_domain
            items.append(PortalItem(article.title, article.summary, article.published_at, tenant.name_vi,
                                    domain.host if domain else None, article.id, article.slug))
        return items
