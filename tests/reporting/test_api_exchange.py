"""The report exchange: a union's statistics system puts figures and submits through the API; the console's
rules decide, and the same figures typed in the console give the same report and the same rollups."""

import sqlalchemy as sa

from app.extensions import db
from app.reporting import rollups
from app.reporting.models import ClusterRollup, Report, ReportValue
from tenants.context import tenant_context


def _bearer(text):
    return {"Authorization": f"Bearer {text}"}


def _stored(tenant) -> tuple:
    with tenant_context(tenant.id):
        report = db.session.scalars(sa.select(Report)).one()
        values = {v.indicator.code: v.value for v in db.session.scalars(
            sa.select(ReportValue).where(ReportValue.report_id == report.id))}
        state = (report.status, values)
    db.session.rollback()
    return state


def test_figures_through_the_api_equal_figures_typed_in_the_console(client, browser, cluster_world, make_period,
                                                                   make_api_token):
    period = make_period(2023)
    a, b = cluster_world["a"], cluster_world["b"]
    # B types its figures in the console …
    browser.login("reporter@b.vn")
    opened = browser.post(f"/manage/tinh-b/reports/periods/{period.id}/open", token_from="/manage/tinh-b/reports/")
    report_b = int(opened.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    form = f"/manage/tinh-b/reports/{report_b}"
    assert browser.post(form, {"figure:aid_vnd": "31.500.000.000"}, token_from=form).status_code == 302
    assert browser.post(f"{form}/submit", {}, token_from=form).status_code == 302
    # … A's statistics system sends the same through the API.
    _, text = make_api_token(a, ("reports:write",), role="reporter", email="reporter@a.vn")
    listed = client.get("/api/v1/manage/reports/periods", headers=_bearer(text)).get_json()
    assert [(p["id"], p["report_status"]) for p in listed] == [(period.id, None)]
    template = client.get(f"/api/v1/manage/reports/periods/{period.id}", headers=_bearer(text)).get_json()
    assert [i["code"] for i in template["indicators"]] == ["aid_vnd", "members", "share_bp", "news"]
    assert template["report"] is None
    too_big = client.put(f"/api/v1/manage/reports/periods/{period.id}/figures", headers=_bearer(text),
                         json={"values": {"share_bp": 20000}})
    assert too_big.status_code == 200 and any(i["code"] == "share_bp" and i["level"] == "error"
                                              for i in too_big.get_json()["issues"])  # the console's rule
    blocked = client.post(f"/api/v1/manage/reports/periods/{period.id}/submit", headers=_bearer(text))
    assert blocked.status_code == 422 and "share_bp" in blocked.get_json()["errors"]
    unknown = client.put(f"/api/v1/manage/reports/periods/{period.id}/figures", headers=_bearer(text),
                         json={"values": {"khong_co": 1}})
    assert unknown.status_code == 422
    put = client.put(f"/api/v1/manage/reports/periods/{period.id}/figures", headers=_bearer(text),
                     json={"values": {"aid_vnd": 31_500_000_000, "share_bp": None}})
    assert put.status_code == 200, put.get_data(as_text=True)
    submitted = client.post(f"/api/v1/manage/reports/periods/{period.id}/submit", headers=_bearer(text))
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    locked = client.put(f"/api/v1/manage/reports/periods/{period.id}/figures", headers=_bearer(text),
                        json={"values": {"aid_vnd": 1}})
    assert locked.status_code == 409
    assert _stored(a) == _stored(b)  # the same report, however it came
    rollups.compute_full()
    with db.session.no_autoflush:
        row = db.session.scalars(sa.select(ClusterRollup).where(
            ClusterRollup.cluster_id == cluster_world["c01"].id, ClusterRollup.period_id == period.id,
            ClusterRollup.indicator_code == "aid_vnd", ClusterRollup.accepted_only.is_(False))).one()
    assert row.aggregate == 63_000_000_000 and sorted(row.contributing_tenant_ids) == sorted([a.id, b.id])


def test_the_report_exchange_needs_its_scope_and_stays_in_the_union(client, cluster_world, make_period,
                                                                    make_api_token, make_report):
    period = make_period(2023)
    make_report(cluster_world["b"], period, {"aid_vnd": 5})
    _, content_only = make_api_token(cluster_world["a"], ("content:read",), role="editor")
    assert client.get("/api/v1/manage/reports/periods", headers=_bearer(content_only)).status_code == 403
    _, text = make_api_token(cluster_world["a"], ("reports:write",), role="reporter", email="reporter@a.vn")
    mine = client.get(f"/api/v1/manage/reports/periods/{period.id}", headers=_bearer(text)).get_json()
    assert mine["report"] is None  # B's report is B's
    assert client.get("/api/v1/manage/reports/periods/999999", headers=_bearer(text)).status_code == 404


def test_national_summaries_for_the_national_unions_token(client, cluster_world, national, make_period,
                                                         make_report, make_api_token):
    import pytest

    from app.api import tokens

    period = make_period(2023)
    make_report(cluster_world["a"], period, {"aid_vnd": 7}, status="submitted")
    make_report(cluster_world["b"], period, {"aid_vnd": 5}, status="accepted")
    rollups.compute_full()
    _, text = make_api_token(national, ("national:read",), role="admin", email="admin@vufo.vn")
    periods = client.get("/api/v1/manage/national/periods", headers=_bearer(text)).get_json()
    assert [p["id"] for p in periods] == [period.id]
    answer = client.get(f"/api/v1/manage/national/periods/{period.id}/summary", headers=_bearer(text))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["completeness"]["expected"] == 3 and body["completeness"]["submitted"] == 2
    c01 = next(c for c in body["clusters"] if c["code"] == "01")
    assert {u["slug"]: u["report_status"] for u in c01["unions"]} == {"tinh-a": "submitted", "tinh-b": "accepted"}
    aid = next(r for r in c01["rollups"] if r["indicator_code"] == "aid_vnd")
    assert aid["aggregate"] == 12 and aid["as_of"].endswith("+00:00")
    accepted = client.get(f"/api/v1/manage/national/periods/{period.id}/summary?accepted_only=true",
                          headers=_bearer(text)).get_json()
    assert next(r for r in next(c for c in accepted["clusters"] if c["code"] == "01")["rollups"]
                if r["indicator_code"] == "aid_vnd")["aggregate"] == 5
    with pytest.raises(ValueError):  # a union's token cannot carry national:read
        with tenant_context(cluster_world["a"].id):
            tokens.issue(cluster_world["users"]["national"], cluster_world["a"], "x", ["national:read"], 30)
    db.session.rollback()
    iati = client.get("/api/v1/manage/national/iati.xml", headers=_bearer(text))
    assert iati.status_code == 200 and iati.mimetype == "application/xml" and b"<iati-activities" in iati.data
    _, union_token = make_api_token(cluster_world["a"], ("reports:write",), role="reporter", email="reporter@a.vn")
    assert client.get("/api/v1/manage/national/periods", headers=_bearer(union_token)).status_code == 403
    assert client.get("/api/v1/manage/national/iati.xml", headers=_bearer(union_token)).status_code == 403


def test_a_figure_past_the_largest_is_a_422(client, cluster_world, make_period, make_api_token):
    period = make_period(2023)
    _, text = make_api_token(cluster_world["a"], ("reports:write",), role="reporter", email="reporter@a.vn")
    for figure in (10**20, 10**15 + 1):
        answer = client.put(f"/api/v1/manage/reports/periods/{period.id}/figures", headers=_bearer(text),
                            json={"values": {"aid_vnd": figure}})
        assert answer.status_code == 422, figure
