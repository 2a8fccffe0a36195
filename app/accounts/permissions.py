"""The one permission check every console route goes through."""

from functools import wraps

from flask import abort, g
from flask_login import current_user

from app.accounts.roles import NATIONAL_PERMISSIONS, national_role_allows, tenant_role_allows
from app.extensions import login_manager


def can(permission: str, user=None, tenant=None) -> bool:
    """Whether `user` (default: the signed-in user) may do `permission` in `tenant` (default: g.tenant)."""
    user = user or current_user
    if not user or not user.is_authenticated:
        return False
    if permission in NATIONAL_PERMISSIONS:
        return national_role_allows(user.national_role, permission)
    if user.is_platform_admin:
        return True
    tenant = tenant or g.get("tenant")
    return tenant is not None and tenant_role_allows(user.role_in(tenant.id), permission)


def permission_required(permission: str):
    """Decorator: sign-in required, then `permission` in the current tenant (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permission = permission
        return wrapped

    return decorator
