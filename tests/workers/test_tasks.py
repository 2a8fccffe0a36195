"""The tenant-aware base task, eagerly and (services mode) in a live worker delivering real SMTP mail."""

import time
from email import message_from_bytes, policy

import pytest
from celery import shared_task

from tenants.context import TenantContextMissing, current_tenant_id
from workers import TenantTask


@shared_task(base=TenantTask)
def _which_tenant():
    return current_tenant_id()


def test_tenant_task_restores_the_context_and_clears_it_after(app, tenant_a):
    assert _which_tenant.apply(kwargs={"tenant_id": tenant_a.id}).get() == tenant_a.id
    assert current_tenant_id() is None


def test_tenant_task_refuses_to_run_without_a_tenant(app):
    with pytest.raises(TenantContextMissing):
        _which_tenant.apply().get()


def test_celery_is_configured_for_reliability(app):
    conf = app.extensions["celery"].conf
    assert conf.task_acks_late is True
    assert conf.task_serializer == "json"
    assert "unlock-expired-accounts" in conf.beat_schedule


@pytest.mark.services
def test_live_worker_delivers_password_reset_over_smtp(app, live_worker, smtp_server, browser, make_user,
                                                       national):
    make_user("nguoi-dung@tinh.vn", locale="vi")
    before = len(smtp_server.handler.messages)
    page = browser.get("/auth/forgot")
    assert page.status_code == 200
    response = browser.post("/auth/forgot", {"email": "nguoi-dung@tinh.vn"}, token_from="/auth/forgot")
    assert response.status_code == 302
    deadline = time.time() + 30
    while len(smtp_server.handler.messages) == before and time.time() < deadline:
        time.sleep(0.2)
    assert len(smtp_server.handler.messages) == before + 1, live_worker.log_path.read_text()[-3000:]
    envelope = smtp_server.handler.messages[-1]
    assert envelope.rcpt_tos == ["nguoi-dung@tinh.vn"]
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == "Đặt lại mật khẩu"
    assert "/auth/reset/" in message.get_body(("plain",)).get_content()


@shared_task(base=TenantTask)
def _add_page(title):
    from app.extensions import db
    from app.pages.models import Page

    db.session.add(Page(slug="tu-tac-vu", title=title))
    db.session.commit()


def test_an_eager_task_does_not_borrow_the_callers_session_or_tenant(app, tenant_a, tenant_b):
    import sqlalchemy as sa

    from app.extensions import db
    from app.pages.models import Page
    from tenants.context import tenant_context

    a_id, b_id = tenant_a.id, tenant_b.id
    with tenant_context(a_id):
        db.session.add(Page(slug="cua-a", title="Của A"))  # pending (not flushed) in the caller's session
        _add_page.apply(args=["Của B"], kwargs={"tenant_id": b_id}).get()
        db.session.commit()
        assert db.session.scalars(sa.select(Page.title)).all() == ["Của A"]
    with tenant_context(b_id):
        assert db.session.scalars(sa.select(Page.title)).all() == ["Của B"]
