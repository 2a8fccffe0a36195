"""`flask demo load`: the demo the README promises, loaded twice without duplicates."""

import sqlalchemy as sa

from app.accounts.models import Membership, User
from app.demo.loader import DEMO_PASSWORD, load_demo
from app.extensions import db
from tenants.models import Cluster, Tenant


def counts():
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Tenant, User, Membership, Cluster)}


def test_demo_is_idempotent_and_complete(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    first = counts()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert counts() == first
    slugs = set(db.session.scalars(sa.select(Tenant.slug)))
    assert {"vufo", "vinh-phuc", "dak-lak", "hai-duong", "tuyen-quang", "ho-chi-minh"} <= slugs
    assert len(slugs) >= 9
    # one user per role in every tenant; the staff of the two merged unions also hold their role in the successor
    assert first["Membership"] == 4 * len(slugs) + 4 * 2
    assert len(slugs) == 1 + 34 + 4  # VUFO, a union per current unit, Vĩnh Phúc, Hải Dương, Hà Giang, Phú Yên


def test_cluster_01_has_members_and_a_rotating_leader(app):
    load_demo()
    cluster = db.session.scalars(sa.select(Cluster).where(Cluster.code == "01")).one()
    for year in (2023, 2024, 2025):
        members = {t.slug for t in cluster.members_in(year)}
        assert len(members) >= 6
        leadership = cluster.leadership_in(year)
        assert leadership.leader.slug in members and leadership.deputy.slug in members
    assert cluster.leadership_in(2023).leader.slug != cluster.leadership_in(2024).leader.slug


def test_demo_sites_and_logins_work(app, browser):
    load_demo()
    home = browser.get("/", host="hai-duong.localhost:5000").get_data(as_text=True)
    assert "Liên hiệp các tổ chức hữu nghị tỉnh Hải Dương" in home
    assert "0220.3846.855" in home
    portal = browser.get("/", host="localhost:5000").get_data(as_text=True)
    assert "vinh-phuc.localhost:5000" in portal
    response = browser.login("editor@hai-duong.demo", DEMO_PASSWORD)
    assert response.status_code == 302
    assert browser.get("/manage/hai-duong/pages/").status_code == 200
    assert browser.get("/manage/vinh-phuc/").status_code == 404
