"""Template helpers shared by every surface: names in the right language, permissions, VN formats."""

from datetime import datetime

from flask import g, request
from flask_babel import format_decimal, get_locale, lazy_gettext

from app.accounts.permissions import can
from app.core.timeutil import VN_TZ, as_utc
from app.stats.widget import group_digits
from tenants.lifecycle import status_label
from tenants.registry import current_unit_of

# Blueprints of the public sites: their pages carry meta, canonical and feed links, and are counted.
PUBLIC_BLUEPRINTS = frozenset({"site", "news", "members", "documents", "aid_site", "stats", "albums", "events"})

ROLE_LABELS = {
    "admin": lazy_gettext("administrator"),
    "editor": lazy_gettext("editor"),
    "author": lazy_gettext("author"),
    "reporter": lazy_gettext("reporter"),
    "platform_admin": lazy_gettext("platform administrator"),
    "national_viewer": lazy_gettext("national viewer"),
}


def tenant_name() -> str | None:
    tenant = g.get("tenant")
    return tenant.name(str(get_locale())) if tenant is not None else None


def role_label(role: str | None) -> str:
    return str(ROLE_LABELS.get(role, role or ""))


def host_port() -> str:
    """':5000' in development, so links between tenant hosts keep the port."""
    host = request.host
    return ":" + host.rsplit(":", 1)[1] if ":" in host and not host.endswith("]") else ""


def canonical_url(path: str | None = None) -> str:
    """This page's address on the tenant's primary domain (aliases and the console never canonical)."""
    tenant = g.get("tenant")
    domain = tenant.primary_domain if tenant is not None else None
    host = (domain.host if domain else request.host.split(":")[0]) + host_port()
    return f"{request.scheme}://{host}{path if path is not None else request.path}"


def _in_vn(value):
    """A datetime in Viet Nam's time (naive ones are UTC, as the database hands them back); a date as it is."""
    if isinstance(value, datetime):
        return as_utc(value).astimezone(VN_TZ)
    return value


def date_vn(value) -> str:
    """dd/mm/yyyy in Asia/Ho_Chi_Minh (what Babel's format_datetime gives, without its per-call cost)."""
    return _in_vn(value).strftime("%d/%m/%Y") if value else ""


def vn_number(value) -> str:
    """1353 -> '1.353' in Vietnamese, '1,353' in English."""
    if isinstance(value, int) and not isinstance(value, bool):
        return group_digits(value, str(get_locale()))
    return format_decimal(value or 0)


def datetime_vn(value) -> str:
    """dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh."""
    return _in_vn(value).strftime("%d/%m/%Y %H:%M") if value else ""


def init_app(app) -> None:
    app.jinja_env.globals.update(tenant_name=tenant_name, can=can, role_label=role_label,
                                 status_label=status_label, host_port=host_port, current_unit=current_unit_of,
                                 canonical_url=canonical_url, public_blueprints=PUBLIC_BLUEPRINTS)
    app.jinja_env.filters.update(vn_number=vn_number, datetime_vn=datetime_vn, date_vn=date_vn)
