"""Shared helpers for the notification tests."""

import pytest


@pytest.fixture
def no_dispatch(monkeypatch):
    """The broker is unreachable: after-commit hand-offs are dropped (the rows stay pending)."""
    from app.notifications import outbox

    dropped = []
    monkeypatch.setattr(outbox, "dispatch", lambda pending: dropped.extend(pending) or 0)
    return dropped


@pytest.fixture
def staff(make_user, tenant_a, tenant_b):
    """A's and B's admin, editor and author, plus a reporter of A who reads English."""
    return {
        "a_admin": make_user("admin@tinh-a.vn", tenant=tenant_a, role="admin"),
        "a_editor": make_user("bien-tap@tinh-a.vn", tenant=tenant_a, role="editor"),
        "a_author": make_user("tac-gia@tinh-a.vn", tenant=tenant_a, role="author"),
        "a_reporter": make_user("reporter@tinh-a.vn", tenant=tenant_a, role="reporter", locale="en"),
        "b_admin": make_user("admin@tinh-b.vn", tenant=tenant_b, role="admin"),
        "b_editor": make_user("bien-tap@tinh-b.vn", tenant=tenant_b, role="editor"),
    }


def outbox_rows(tenant):
    import sqlalchemy as sa

    from app.extensions import db
    from app.notifications.models import OutboxMessage
    from tenants.context import tenant_context

    with tenant_context(tenant.id):
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expire_all()
        return [(r.id, r.to_address, r.status, r.attempts, r.last_error, r.event_type) for r in rows]


def notifications_of(tenant, user=None):
    import sqlalchemy as sa

    from app.extensions import db
    from app.notifications.models import Notification
    from tenants.context import tenant_context

    with tenant_context(tenant.id):
        stmt = sa.select(Notification).order_by(Notification.id)
        if user is not None:
            stmt = stmt.where(Notification.user_id == user.id)
        rows = db.session.scalars(stmt).all()
        return [(r.user_id, r.event_type, r.title, r.body, r.digest_state) for r in rows]
