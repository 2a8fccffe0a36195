"""Which tenant a request belongs to: by Host for public pages, by URL slug + membership in the console."""

import sqlalchemy as sa
from flask import abort, current_app, g, redirect, request
from flask_login import current_user

from app.extensions import db
from tenants.context import reset_current_tenant, set_current_tenant
from tenants.models import Tenant, TenantDomain, TenantStatus

# Endpoints answered on any host, before and whatever the tenant status.
HOST_EXEMPT_ENDPOINTS = {"health.healthz", "static"}
# Blueprints that live only on the platform host (staff console, national console, sign-in).
PLATFORM_BLUEPRINTS = {"console", "national", "accounts"}


def normalise_host(raw: str) -> str:
    """'Vinh-Phuc.LOCALHOST.:5000' -> 'vinh-phuc.localhost' (case, port and trailing dot ignored)."""
    host = raw.strip().lower()
    if host.startswith("["):  # IPv6 literal, maybe with a port
        host = host[: host.find("]") + 1]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def domain_for_host(host: str) -> TenantDomain | None:
    stmt = (sa.select(TenantDomain).where(TenantDomain.host == host)
            .options(sa.orm.joinedload(TenantDomain.tenant).selectinload(Tenant.domains)))
    return db.session.scalars(stmt).first()


def enter_tenant(tenant: Tenant) -> None:
    """Make `tenant` the current tenant until the request ends."""
    g.tenant = tenant
    g.setdefault("_tenant_tokens", []).append(set_current_tenant(tenant.id))


def _leave_tenants(exc=None) -> None:
    for token in reversed(g.pop("_tenant_tokens", [])):
        reset_current_tenant(token)


def _url_on(host: str, path: str) -> str:
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    port = request.host.rsplit(":", 1)[1] if ":" in request.host and not request.host.endswith("]") else None
    netloc = f"{host}:{port}" if port and port not in ("80", "443") else host
    return f"{scheme}://{netloc}{path}"


def resolve_host_tenant():
    """before_request: find the host's tenant, redirect aliases, refuse unknown and suspended hosts."""
    host = normalise_host(request.host)
    g.platform_host = host == current_app.config["PLATFORM_HOST"]
    if request.endpoint in HOST_EXEMPT_ENDPOINTS:
        return None
    domain = domain_for_host(host)
    if domain is None:
        abort(404)
    tenant = domain.tenant
    if request.blueprint in PLATFORM_BLUEPRINTS and not g.platform_host:
        abort(404)
    if not domain.is_primary and tenant.primary_domain is not None:
        return redirect(_url_on(tenant.primary_domain.host, request.full_path.rstrip("?")), 301)
    if tenant.status in (TenantStatus.ARCHIVED, TenantStatus.MERGED):
        successor = tenant.successor
        if successor is not None and successor.primary_domain is not None:
            return redirect(_url_on(successor.primary_domain.host, "/"), 301)
        abort(410)
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
