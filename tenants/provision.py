"""New tenants: created with their primary domain and provisioned from the national template
(the standard pages and news categories every union's site starts with)."""

import re

import sqlalchemy as sa
from flask_babel import gettext

from app.core import audit
from app.extensions import db
from tenants.context import tenant_context
from tenants.hosts import is_valid_host, normalise_host
from tenants.models import Tenant, TenantDomain, TenantKind

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
TEMPLATE_CATEGORIES = (
    ("tin-tuc-hoat-dong", "Tin tức hoạt động", "Activities"),
    ("van-dong-vien-tro", "Vận động viện trợ", "Aid mobilisation"),
    ("hop-tac-huu-nghi", "Hợp tác hữu nghị", "Friendship and cooperation"),
    ("thong-bao", "Thông báo", "Announcements"),
)


class ProvisionError(ValueError):
    """A refused tenant creation, with the reason to show."""


def provision(tenant: Tenant) -> None:
    """Give `tenant` the national template's pages (app/pages/template_sync.py: copies that follow the template) and
    the standard categories, skipping any it already has."""
    from app.news.models import Category
    from app.pages import template_sync

    template_sync.ensure_defaults()
    template_sync.sync_tenant(tenant, create_missing=True, adopt=True)
    with tenant_context(tenant.id):
        have_categories = set(db.session.scalars(sa.select(Category.slug)))
        for position, (slug, name_vi, name_en) in enumerate(TEMPLATE_CATEGORIES):
            if slug not in have_categories:
                db.session.add(Category(slug=slug, name_vi=name_vi, name_en=name_en, position=position))
        db.session.flush()


def create_tenant(*, slug: str, name_vi: str, name_en: str, host: str, province_id: int | None = None,
                  actor_id: int | None = None) -> Tenant:
    slug = (slug or "").strip().lower()
    if not _SLUG.fullmatch(slug):
        raise ProvisionError(gettext("The short name may hold only lower-case letters without accents, digits and "
                                     "hyphens (e.g. vinh-phuc)."))
    if db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == slug)) is not None:
        raise ProvisionError(gettext("The short name %(slug)s is already used.", slug=slug))
    host = normalise_host(host or "")
    if not is_valid_host(host) or "." not in host:
        raise ProvisionError(gettext("“%(host)s” is not a domain name.", host=host[:80]))
    if db.session.scalar(sa.select(TenantDomain.id).where(TenantDomain.host == host)) is not None:
        raise ProvisionError(gettext("%(host)s already belongs to a site on the platform.", host=host))
    tenant = Tenant(slug=slug, name_vi=name_vi.strip(), name_en=name_en.strip(), kind=TenantKind.PROVINCIAL,
                    province_id=province_id)
    tenant.domains.append(TenantDomain(host=host, is_primary=True))
    db.session.add(tenant)
    db.session.flush()
    provision(tenant)
    audit.record("tenant.create", tenant_id=tenant.id, actor_id=actor_id, target=f"tenant:{slug}", detail=host)
    db.session.commit()
    return tenant
