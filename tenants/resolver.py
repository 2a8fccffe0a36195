"""Which tenant a request belongs to: by Host for public pages, by URL slug + membership in the console."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from flask import abort, current_app, g, redirect, request
from flask_login import current_user

from app.extensions import db
from tenants.context import reset_current_tenant, set_current_tenant
from tenants.hosts import is_valid_host, normalise_host
from tenants.models import Tenant, TenantDomain, TenantStatus

# Endpoints answered on any host, before and whatever the tenant status.
HOST_EXEMPT_ENDPOINTS = {"health.healthz", "static"}
# Blueprints that live only on the platform host (staff console, national console, sign-in).
PLATFORM_BLUEPRINTS = {"console", "national", "accounts"}


def domain_for_host(host: str) -> TenantDomain | None:
    stmt = (sa.select(TenantDomain).where(TenantDomain.host == host)
            .options(sa.orm.joinedload(TenantDomain.tenant).joinedload(Tenant.domains)))
    return db.session.scalars(stmt).unique().first()  # one statement: the host, its tenant, all its domains


# --- host → tenant, kept per process -----------------------------------------------------------------------
# A public request needs the host's tenant before anything else. Each process keeps what it loaded (the tenant
# with its domains, detached) together with the tenant's *generations* at load time; a later request uses it
# while the generations are unchanged. Any committed change to the tenant's rows, its domains included, moves
# its generation (app/site/page_cache.py provides `freshness`), so a change is seen by every process at its next
# request. Without a way to ask (no shared store reachable), every request loads.

@dataclass
class _Snapshot:
    tenant: Tenant  # detached, with its domains
    stamp: tuple
    loaded: float


SNAPSHOT_MAX_AGE = 60.0  # seconds: bounds what a process could keep from a host's very first load (see below)
_snapshots: dict[str, _Snapshot] = {}
freshness: Callable[[Tenant], tuple | None] = lambda tenant: None  # noqa: E731 -- replaced by the page cache


def tenant_for_host(host: str) -> Tenant | None:
    """The host's tenant, attached to this request's session; None for a host no tenant answers."""
    snapshot = _snapshots.get(host)
    stamp = None
    if snapshot is not None and time.monotonic() - snapshot.loaded < SNAPSHOT_MAX_AGE:
        stamp = freshness(snapshot.tenant)
        if stamp is not None and stamp == snapshot.stamp:
            g.tenant_generations = stamp
            return db.session.merge(snapshot.tenant, load=False)
    domain = domain_for_host(host)
    if domain is None:
        _snapshots.pop(host, None)
        return None
    tenant = domain.tenant
    if stamp is None or snapshot.tenant.id != tenant.id:
        # Read after the load: a change committed in between would go unseen until the next one (or the age limit).
        stamp = freshness(tenant)
    g.tenant_generations = stamp
    if stamp is not None:
        db.session.expunge(tenant)  # the domains go with it (cascade)
        _snapshots[host] = _Snapshot(tenant, stamp, time.monotonic())
        return db.session.merge(tenant, load=False)
    return tenant


def forget_snapshots() -> None:
    _snapshots.clear()


def enter_tenant(tenant: Tenant) -> None:
    """Make `tenant` the current tenant until the request ends."""
    g.tenant = tenant
    g.setdefault("_tenant_tokens", []).append(set_current_tenant(tenant.id))


def _leave_tenants(exc=None) -> None:
    for token in reversed(g.pop("_tenant_tokens", [])):
        reset_current_tenant(token)


def url_on(host: str, keep_path: bool) -> str:
    """This request's URL (already percent-encoded by Werkzeug) moved to `host`, same scheme and port."""
    parts = urlsplit(request.url)
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    if not keep_path:
        return urlunsplit((parts.scheme, host + port, "/", "", ""))
    return urlunsplit((parts.scheme, host + port, parts.path, parts.query, ""))


def resolve_host_tenant():
    """before_request: find the host's tenant, redirect aliases, refuse unknown and suspended hosts."""
    if "\x00" in request.path or any("\x00" in v for v in request.args.values()):
        abort(400)  # no database takes NUL bytes; refuse them before any lookup
    host = normalise_host(request.host)
    if not is_valid_host(host):
        abort(400)
    g.platform_host = host == normalise_host(current_app.config["PLATFORM_HOST"])
    if request.endpoint in HOST_EXEMPT_ENDPOINTS:
        return None
    tenant = tenant_for_host(host)
    domain = next((d for d in tenant.domains if d.host == host), None) if tenant is not None else None
    if domain is None:
        abort(404)
    if not domain.is_primary and tenant.primary_domain is not None:
        return redirect(url_on(tenant.primary_domain.host, keep_path=True), 301)
    if PLATFORM_BLUEPRINTS.intersection(request.blueprints) and not g.platform_host:  # nested ones too
        abort(404)
    if tenant.status in (TenantStatus.ARCHIVED, TenantStatus.MERGED):
        successor = tenant.successor
        if successor is not None and successor.primary_domain is not None:
            from app.reorg.services import redirect_path

            # The same page on the successor: ids were kept by the merge, changed paths were recorded.
            target = url_on(successor.primary_domain.host, keep_path=True)
            parts = urlsplit(target)
            return redirect(urlunsplit(parts._replace(path=redirect_path(tenant.id, parts.path))), 301)
        if tenant.status == TenantStatus.MERGED:
            abort(410)
        # archived without a successor: the site stays readable, with a banner (templates/base.html)
    enter_tenant(tenant)
    if tenant.status == TenantStatus.SUSPENDED and not g.platform_host:
        abort(503)
    return None


def tenant_by_slug_or_404(slug: str) -> Tenant:
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()
    if tenant is None:
        abort(404)
    return tenant


def resolve_console_tenant(slug: str) -> Tenant:
    """Console requests: the slug's tenant, if the signed-in user belongs to it (else 404, not 403,
    so that the console never confirms another union's existence or ids)."""
    tenant = tenant_by_slug_or_404(slug)
    if not (current_user.is_platform_admin or current_user.role_in(tenant.id)):
        abort(404)
    enter_tenant(tenant)
    return tenant


def init_app(app) -> None:
    app.before_request(resolve_host_tenant)
    app.teardown_request(_leave_tenants)
