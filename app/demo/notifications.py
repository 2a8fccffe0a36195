"""Demo notifications, so that the console bell has something to show (idempotent: keyed rows)."""

import sqlalchemy as sa
from flask_babel import force_locale

from app.accounts.models import User
from app.extensions import db
from app.news.models import Article, ArticleStatus
from app.notifications.emails import recipient_locale
from app.notifications.events import EVENT_TYPES
from app.notifications.models import Notification
from tenants.context import tenant_context
from tenants.models import Tenant

DEMO = {  # slug -> [(role, event type, context)]
    "hai-duong": [
        ("editor", "article.submitted", {"title": "Hội Hữu nghị Việt – Nhật tỉnh tổ chức giao lưu văn hóa mùa thu",
                                         "actor": "Tác giả Hải Dương"}),
        ("author", "article.published", None),
        ("admin", "report.period_opened", {"period": "Tổng kết năm 2025", "due_date": "15/12/2025"}),
        ("reporter", "report.deadline_reminder", {"period": "Tổng kết năm 2025", "due_date": "15/12/2025",
                                                  "kind": "before", "days": 7}),
    ],
    "vinh-phuc": [
        ("editor", "article.submitted", {"title": "Đoàn đại biểu tỉnh Gunma thăm và làm việc tại Vĩnh Phúc",
                                         "actor": "Tác giả Vĩnh Phúc"}),
        ("author", "article.returned", {"title": "Kết quả vận động viện trợ phi chính phủ nước ngoài quý III",
                                        "actor": "Biên tập Vĩnh Phúc",
                                        "comment": "Xin bổ sung số liệu giải ngân và nguồn ảnh."}),
    ],
}


def load_demo_notifications() -> int:
    """Write the demo notifications that do not exist yet; returns how many were written."""
    written = 0
    for slug, items in DEMO.items():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            continue
        with tenant_context(tenant.id):
            for role, event_type, context in items:
                written += _one(tenant, role, event_type, context)
            db.session.commit()
    return written


def _one(tenant: Tenant, role: str, event_type: str, context: dict | None) -> int:
    user = db.session.scalar(sa.select(User).where(User.email == f"{role}@{tenant.slug}.demo"))
    key = f"demo:{event_type}:{role}"
    if user is None or db.session.scalar(sa.select(Notification.id).where(Notification.idempotency_key == key)):
        return 0
    if context is None:  # the tenant's latest published article
        title = db.session.scalar(sa.select(Article.title).where(Article.status == ArticleStatus.PUBLISHED)
                                  .order_by(Article.published_at.desc()).limit(1))
        if title is None:
            return 0
        context = {"title": title}
    with force_locale(recipient_locale(user.locale)):
        title, body = EVENT_TYPES[event_type].render(context)
    db.session.add(Notification(user_id=user.id, event_type=event_type, title=title, body=body,
                                link=f"/manage/{tenant.slug}/", idempotency_key=key))
    return 1
