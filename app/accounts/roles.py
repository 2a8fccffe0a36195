"""Roles and what each may do. One table, read by `app.accounts.permissions`."""

from enum import StrEnum


class TenantRole(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"  # ban biên tập: reviews and publishes
    AUTHOR = "author"  # writes drafts
    REPORTER = "reporter"  # fills the periodic reports


class NationalRole(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    NATIONAL_VIEWER = "national_viewer"


# Higher rank may grant lower ranks; nobody grants above their own.
ROLE_RANK = {TenantRole.ADMIN: 40, TenantRole.EDITOR: 30, TenantRole.AUTHOR: 20, TenantRole.REPORTER: 20}

TENANT_PERMISSIONS: dict[str, frozenset[TenantRole]] = {
    "console.view": frozenset(TenantRole),
    "content.view": frozenset({TenantRole.ADMIN, TenantRole.EDITOR, TenantRole.AUTHOR}),
    "content.write": frozenset({TenantRole.ADMIN, TenantRole.EDITOR, TenantRole.AUTHOR}),
    "content.publish": frozenset({TenantRole.ADMIN, TenantRole.EDITOR}),
    "reports.view": frozenset(TenantRole),  # every staff member reads the union's reports
    "reports.write": frozenset({TenantRole.ADMIN, TenantRole.REPORTER}),
    "aid.view": frozenset({TenantRole.ADMIN, TenantRole.EDITOR, TenantRole.REPORTER}),
    "aid.write": frozenset({TenantRole.ADMIN, TenantRole.EDITOR}),
    "people.manage": frozenset({TenantRole.ADMIN}),
    "settings.manage": frozenset({TenantRole.ADMIN}),
    "audit.view": frozenset({TenantRole.ADMIN}),
}

NATIONAL_PERMISSIONS: dict[str, frozenset[NationalRole]] = {
    "national.view": frozenset(NationalRole),
    "national.manage": frozenset({NationalRole.PLATFORM_ADMIN}),
}


def tenant_role_allows(role: str | None, permission: str) -> bool:
    return role is not None and role in TENANT_PERMISSIONS[permission]


def national_role_allows(role: str | None, permission: str) -> bool:
    return role is not None and role in NATIONAL_PERMISSIONS[permission]
