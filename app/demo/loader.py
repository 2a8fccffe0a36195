"""Loads the demo into the database; every step upserts, so running it twice changes nothing."""

import sqlalchemy as sa
from flask import current_app

from app.accounts.models import User
from app.accounts.services import create_user
from app.demo import data, menus, reorg
from app.demo.aid import load_aid
from app.demo.directory import load_directory
from app.demo.events import load_events
from app.demo.news import load_news
from app.demo.notifications import load_demo_notifications
from app.demo.pages import load_pages, load_template
from app.demo.pictures import load_pictures
from app.demo.reports import load_reports
from app.demo.themes import load_themes
from app.demo.visits import load_visit_history
from app.extensions import db
from tenants.models import Cluster, ClusterLeadership, ClusterMembership, Province, Tenant, TenantDomain, TenantStatus
from tenants.registry import load_provinces

DEMO_PASSWORD = "huunghi-2025"  # noqa: S105 — published in the README on purpose
DEV_DOMAIN = "localhost"


def _province(slug: str) -> Province | None:
    """The newest unit of that name: the merged unit for an absorbing province, the old one otherwise."""
    stmt = sa.select(Province).where(Province.slug == slug).order_by(Province.valid_from.desc())
    return db.session.scalars(stmt).first()


def _upsert_tenant(slug: str, **fields) -> Tenant:
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()
    if tenant is None:
        tenant = Tenant(slug=slug)
        db.session.add(tenant)
    for key, value in fields.items():
        setattr(tenant, key, value)
    return tenant


def _ensure_domain(tenant: Tenant, host: str, primary: bool) -> None:
    domain = db.session.scalars(sa.select(TenantDomain).where(TenantDomain.host == host)).first()
    if domain is None:
        tenant.domains.append(TenantDomain(host=host, is_primary=primary))


def _tenants() -> list[Tenant]:
    national = dict(data.NATIONAL)
    vufo = _upsert_tenant(national.pop("slug"), province=_province(national.pop("province")), **national)
    _ensure_domain(vufo, current_app.config["PLATFORM_HOST"], primary=True)
    tenants = [vufo]
    seeds = data.PROVINCIAL + reorg.predecessor_specs()
    known = {spec["slug"] for spec in seeds}
    for spec in seeds + reorg.unit_specs(known):
        place = spec["name"] if spec.get("city") else f"tỉnh {spec['name']}"
        tenant = _upsert_tenant(
            spec["slug"], kind="provincial", province=_province(spec["province"]),
            name_vi=f"Liên hiệp các tổ chức hữu nghị {place}",
            name_en=f"{spec['name_en']} Union of Friendship Organizations",
            address=spec.get("address"), phone=spec.get("phone"), editor_in_chief=spec.get("editor_in_chief"),
            emulation_bloc=spec.get("emulation_bloc"), email=f"lienhe@{spec['slug']}.demo")
        _ensure_domain(tenant, f"{spec['slug']}.{DEV_DOMAIN}", primary=True)
        if spec.get("alias"):
            _ensure_domain(tenant, spec["alias"], primary=False)
        tenants.append(tenant)
    db.session.commit()
    return tenants


def _cluster(by_slug: dict[str, Tenant]) -> None:
    spec = data.CLUSTER
    cluster = db.session.scalars(sa.select(Cluster).where(Cluster.code == spec["code"])).first()
    if cluster is None:
        cluster = Cluster(code=spec["code"])
        db.session.add(cluster)
    cluster.name_vi, cluster.name_en, cluster.description = spec["name_vi"], spec["name_en"], spec["description"]
    have = {(m.year, m.tenant_id) for m in cluster.memberships}
    for year in data.demo_years():
        leader, deputy = data.leadership(year)
        for slug in spec["members"]:
            if (year, by_slug[slug].id) not in have:
                cluster.memberships.append(ClusterMembership(year=year, tenant=by_slug[slug]))
        leadership = cluster.leadership_in(year)
        if leadership is None:
            leadership = ClusterLeadership(year=year)
            cluster.leaderships.append(leadership)
        leadership.leader, leadership.deputy = by_slug[leader], by_slug[deputy]
    db.session.commit()


def _users(tenants: list[Tenant]) -> int:
    probe = User()
    probe.set_password(DEMO_PASSWORD)  # one published password: hashed once for every demo account
    hashed, count = probe.password_hash, 0
    for tenant in tenants:
        short = tenant.name_vi.replace("Liên hiệp các tổ chức hữu nghị ", "")
        for role in data.ROLES:
            create_user(f"{role}@{tenant.slug}.demo", f"{data.ROLE_NAMES[role]} – {short}", DEMO_PASSWORD,
                        tenant=tenant, role=role, password_hash=hashed)
            count += 1
    create_user("platform@vufo.demo", "Quản trị nền tảng", DEMO_PASSWORD, national_role="platform_admin",
                password_hash=hashed)
    create_user("viewer@vufo.demo", "Theo dõi toàn quốc", DEMO_PASSWORD, national_role="national_viewer",
                password_hash=hashed)
    return count + 2


def load_demo() -> dict[str, int]:
    """Load the province registry, then the demo tenants (a union for each of the 34 current units, and two that
    merged on 01/7/2025), clusters, users, pages, news, members, documents, visits, the aid registry and reports;
    then the merges themselves (app/demo/reorg.py)."""
    load_provinces()
    tenants = _tenants()
    by_slug = {t.slug: t for t in tenants}
    _cluster(by_slug)
    reorg.regional_clusters(by_slug)
    users = _users(tenants)
    live = [t for t in tenants if t.status != TenantStatus.MERGED]  # a merged union's content lives on elsewhere
    predecessors = {spec["slug"] for spec in reorg.PREDECESSORS}
    load_template()
    pages = sum(load_pages(t) for t in live)
    articles = sum(reorg.load_predecessor_content(t) if t.slug in predecessors else load_news(t) for t in live)
    directory = load_directory(live)
    load_visit_history(live)
    aid_projects = load_aid(tenants)
    load_demo_notifications()
    reports = load_reports(tenants)
    merged = reorg.merge_predecessors(by_slug)
    load_pictures([t for t in tenants if t.status != TenantStatus.MERGED])  # covers and albums, drawn now
    menus.load_menus()  # the national default menu, and Đắk Lắk's own
    load_themes([t for t in tenants if t.status != TenantStatus.MERGED])  # logo, banner, colour: drawn now
    load_events(tenants)  # a few upcoming and past events per union, dated from today
    return {"tenants": len(tenants), "users": users, "pages": pages, "articles": articles, **directory,
            "aid_projects": aid_projects, "reports": reports, "merged": merged,
            "accounts": db.session.scalar(sa.select(sa.func.count(User.id)))}
