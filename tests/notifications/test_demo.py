"""The demo gives the bell something to show, and loading it again adds nothing."""

import re

import sqlalchemy as sa

from app.demo.loader import DEMO_PASSWORD, load_demo
from app.demo.notifications import load_demo_notifications
from app.extensions import db
from app.notifications.models import Notification
from tenants.scoping import all_tenants


def test_demo_notifications_show_in_the_bell_and_are_idempotent(app, browser):
    load_demo()
    with all_tenants("test: count demo notifications"):
        count = db.session.scalar(sa.select(sa.func.count(Notification.id)))
    assert count == 6
    assert load_demo_notifications() == 0
    browser.login("editor@hai-duong.demo", DEMO_PASSWORD)
    page = browser.get("/manage/hai-duong/").get_data(as_text=True)
    assert re.search(r'class="bell-count">1<', page)
    listing = browser.get("/manage/hai-duong/notifications/").get_data(as_text=True)
    assert "Chờ duyệt: Hội Hữu nghị Việt – Nhật" in listing
