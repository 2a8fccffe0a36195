"""The cluster leader's pages (/manage/<leader>/cluster/…): who sees which report, return, accept, scores, ranking."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from app.core.timeutil import utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.reporting import scoring, workflow
from app.reporting.models import Report, ReportAttachment, ReportScore
from tenants.context import tenant_context
from tests.reporting.test_workflow import _submitted


def _status(tenant, report_id):
    with tenant_context(tenant.id):
        return db.session.get(Report, report_id).status


def _notified(tenant, user):
    with tenant_context(tenant.id):
        return db.session.execute(sa.select(Notification.event_type, Notification.body)
                                  .where(Notification.user_id == user.id).order_by(Notification.id)).all()


def _leader_scores(tenant, report_id):
    with tenant_context(tenant.id):
        return db.session.execute(sa.select(ReportScore.leader_points, ReportScore.leader_comment)
                                  .where(ReportScore.report_id == report_id)).all()


def test_a_leader_sees_the_members_of_the_year_it_led_only(cluster_world, make_period, browser, browser_factory):
    b23, p23 = _submitted(cluster_world, make_period, "b", 2023, {"aid_vnd": 31_500_000_000})
    b24, p24 = _submitted(cluster_world, make_period, "b", 2024, {"aid_vnd": 31_500_000_000})
    browser.login("reporter@a.vn")  # A leads cluster 01 in 2023 (A and B) and 2024 (A alone)
    assert 'href="/manage/tinh-a/cluster/"' in browser.get("/manage/tinh-a/").get_data(as_text=True)  # menu
    listing = browser.get("/manage/tinh-a/cluster/").get_data(as_text=True)
    assert f"/manage/tinh-a/cluster/{p23.id}" in listing and f"/manage/tinh-a/cluster/{p24.id}" in listing
    board = browser.get(f"/manage/tinh-a/cluster/{p23.id}").get_data(as_text=True)
    assert "Liên hiệp tinh-b" in board and f"/manage/tinh-a/cluster/reports/{b23}" in board
    assert "Đã gửi" in board and "Nộp muộn" in board  # submitted today, due in 2023
    page = browser.get(f"/manage/tinh-a/cluster/reports/{b23}")
    assert page.status_code == 200 and "31.500.000.000 ₫" in page.get_data(as_text=True)
    assert "Liên hiệp tinh-b" not in browser.get(f"/manage/tinh-a/cluster/{p24.id}").get_data(as_text=True)
    assert browser.get(f"/manage/tinh-a/cluster/reports/{b24}").status_code == 404  # B is in cluster 02 in 2024
    leader_c = browser_factory()
    leader_c.login("reporter@c.vn")  # leads cluster 02, where B is a member in 2024 only
    assert leader_c.get(f"/manage/tinh-c/cluster/reports/{b24}").status_code == 200
    assert leader_c.get(f"/manage/tinh-c/cluster/reports/{b23}").status_code == 404
    assert leader_c.get(f"/manage/tinh-c/cluster/{p23.id}").get_data(as_text=True).count("tinh-b") == 0
    assert leader_c.get(f"/manage/tinh-a/cluster/reports/{b23}").status_code == 404  # not A's staff


def test_members_and_other_staff_never_reach_the_leader_pages(cluster_world, make_period, browser, browser_factory):
    b23, p23 = _submitted(cluster_world, make_period, "b", 2023)
    browser.login("reporter@b.vn")  # a reporter of B: B leads no cluster
    assert "/cluster/" not in browser.get("/manage/tinh-b/").get_data(as_text=True)
    assert browser.get(f"/manage/tinh-b/cluster/{p23.id}").status_code == 404
    assert browser.get(f"/manage/tinh-b/cluster/reports/{b23}").status_code == 404
    assert browser.get(f"/manage/tinh-a/cluster/reports/{b23}").status_code == 404
    editor = browser_factory()
    editor.login("editor@b.vn")
    assert editor.get(f"/manage/tinh-b/cluster/reports/{b23}").status_code == 403
    national = browser_factory()
    national.login("admin@vufo.vn")  # national staff read reports in the national console, not as a leader
    assert national.get(f"/manage/tinh-a/cluster/reports/{b23}").status_code == 403


def test_return_needs_a_reason_and_tells_the_union(cluster_world, make_period, browser):
    b23, _ = _submitted(cluster_world, make_period, "b", 2023)
    browser.login("reporter@a.vn")
    url = f"/manage/tinh-a/cluster/reports/{b23}/return"
    refused = browser.post(url, {"reason": "   "}, token_from=url)
    assert refused.status_code == 400 and "Hãy nêu lý do." in refused.get_data(as_text=True)
    assert _status(cluster_world["b"], b23) == "submitted"
    assert browser.post(url, {"reason": "Thiếu số liệu giải ngân"}, token_from=url).status_code == 302
    assert _status(cluster_world["b"], b23) == "returned"
    assert _notified(cluster_world["b"], cluster_world["users"]["b"])[-1][0] == "report.returned"
    assert "Thiếu số liệu giải ngân" in _notified(cluster_world["b"], cluster_world["users"]["b"])[-1][1]
    with tenant_context(cluster_world["b"].id):  # the notification leads to the union's own report page
        link = db.session.scalars(sa.select(Notification.link).order_by(Notification.id.desc())).first()
    assert link.endswith(f"/manage/tinh-b/reports/{b23}")


def test_accept_then_score_within_bounds(cluster_world, make_period, browser):
    b23, _ = _submitted(cluster_world, make_period, "b", 2023)
    browser.login("reporter@a.vn")
    report_url = f"/manage/tinh-a/cluster/reports/{b23}"
    assert browser.post(f"{report_url}/accept", token_from=report_url).status_code == 302
    assert _status(cluster_world["b"], b23) == "accepted"
    assert [e for e, _ in _notified(cluster_world["b"], cluster_world["users"]["b"])] == ["report.accepted"]
    scores_url = f"{report_url}/scores"
    for bad in ("11", "-1", "mười"):
        response = browser.post(scores_url, {"points_c1": bad}, token_from=scores_url)
        assert response.status_code == 400, bad
        assert 'class="errors"' in response.get_data(as_text=True)
    assert _leader_scores(cluster_world["b"], b23) == []
    saved = browser.post(scores_url, {"points_c1": "8", "comment_c1": "Tốt"},
                         token_from=scores_url)
    assert saved.status_code == 302
    assert _leader_scores(cluster_world["b"], b23) == [(8, "Tốt")]
    assert "Tốt" in browser.get(report_url).get_data(as_text=True)


def test_the_score_service_refuses_out_of_bounds_and_other_leaders(cluster_world, make_period):
    b23, _ = _submitted(cluster_world, make_period, "b", 2023)
    with tenant_context(cluster_world["b"].id):
        criterion = db.session.get(Report, b23).version.criteria[0]
        criterion_id, max_points = criterion.id, criterion.max_points
    users = cluster_world["users"]
    with pytest.raises(workflow.ReportError):
        scoring.score(b23, users["a"], {criterion_id: (max_points + 1, None)})
    with pytest.raises(workflow.ReportForbidden):
        scoring.score(b23, users["c"], {criterion_id: (1, None)})
    scoring.score(b23, users["a"], {criterion_id: (max_points, None)})
    assert _leader_scores(cluster_world["b"], b23) == [(max_points, None)]


def test_nothing_changes_a_final_report_through_the_leader_routes(cluster_world, make_period, browser):
    b23, _ = _submitted(cluster_world, make_period, "b", 2023)
    workflow.accept(b23, cluster_world["users"]["a"])
    workflow.finalize(b23, cluster_world["users"]["national"])
    with tenant_context(cluster_world["b"].id):
        criterion_id = db.session.get(Report, b23).version.criteria[0].id
    browser.login("reporter@a.vn")
    report_url = f"/manage/tinh-a/cluster/reports/{b23}"
    assert browser.post(f"{report_url}/accept", token_from=report_url).status_code == 400
    assert browser.post(f"{report_url}/return", {"reason": "Sửa lại"}, token_from=report_url).status_code == 400
    assert browser.post(f"{report_url}/scores", {"points_c1": "5"}, token_from=report_url).status_code == 400
    assert browser.get(f"{report_url}/scores").status_code == 400
    with pytest.raises(workflow.ReportLocked):
        scoring.score(b23, cluster_world["users"]["a"], {criterion_id: (5, None)})
    assert _status(cluster_world["b"], b23) == "final" and _leader_scores(cluster_world["b"], b23) == []


def test_ranking_by_leader_then_self_points_then_name_unscored_last(make_tenant, national, make_cluster, make_user,
                                                                   make_period, make_report, browser):
    names = ("Liên hiệp Bắc", "Liên hiệp Đông", "Liên hiệp Nam", "Liên hiệp Tây", "Liên hiệp Trung")
    unions = [make_tenant(f"tinh-{i}", name_vi=name) for i, name in enumerate(names)]
    cluster = make_cluster("09", {2023: unions}, {2023: unions[0]})
    make_user("reporter@bac.vn", tenant=unions[0], role="reporter")
    period = make_period(2023)
    points = {0: (9, 5), 1: (9, 7), 2: (None, 10), 3: (9, 7), 4: (12, 1)}  # union index: (leader, self)
    for index, (leader, own) in points.items():
        report = make_report(unions[index], period, {"aid_vnd": 1})
        with tenant_context(unions[index].id):
            db.session.add(ReportScore(report_id=report.id, criterion_id=report.version.criteria[0].id,
                                       self_points=own, leader_points=leader))
            report.status, report.submitted_at = "submitted", utcnow()  # self-assessed while a draft
            db.session.commit()
    ranked = [m.union.name_vi for m in scoring.ranking(scoring.cluster_board(period, cluster))]
    assert ranked == ["Liên hiệp Trung", "Liên hiệp Đông", "Liên hiệp Tây", "Liên hiệp Bắc", "Liên hiệp Nam"]
    browser.login("reporter@bac.vn")
    html = browser.get(f"/manage/tinh-0/cluster/{period.id}/ranking").get_data(as_text=True).split("<tbody>")[1]
    assert [html.index(name) for name in ranked] == sorted(html.index(name) for name in ranked)
    assert "Chưa chấm" in html


def test_attachments_go_to_the_leader_of_that_year_only(app, cluster_world, make_period, browser, browser_factory):
    b_id, p23 = cluster_world["b"].id, make_period(2023)
    with tenant_context(b_id):
        report = workflow.open_report(p23, cluster_world["users"]["b"])
        workflow.save(report, values={"aid_vnd": 1000})
        item = ReportAttachment(report_id=report.id, storage_key="kb23", original_name="bien-ban.pdf",
                                extension="pdf", content_type="application/pdf", size_bytes=9, sha256="0" * 64)
        db.session.add(item)
        workflow.submit(report, cluster_world["users"]["b"])
        db.session.commit()
        b23, attachment_id = report.id, item.id
    path = Path(app.config["INSTANCE_DIR"]) / "reports" / str(b_id) / "kb23.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n")
    browser.login("reporter@a.vn")
    page = browser.get(f"/manage/tinh-a/cluster/reports/{b23}").get_data(as_text=True)
    url = f"/manage/tinh-a/cluster/reports/{b23}/attachments/{attachment_id}"
    assert url in page and "bien-ban.pdf" in page
    download = browser.get(url)
    assert download.status_code == 200 and download.data == b"%PDF-1.4\n"
    assert "attachment" in download.headers["Content-Disposition"]
    leader_c = browser_factory()
    leader_c.login("reporter@c.vn")
    assert leader_c.get(f"/manage/tinh-c/cluster/reports/{b23}/attachments/{attachment_id}").status_code == 404
    national = browser_factory()
    national.login("admin@vufo.vn")
    national_url = f"/national/reports/{p23.id}/unions/{b_id}/attachments/{attachment_id}"
    assert national.get(national_url).data == b"%PDF-1.4\n"
    anonymous = browser_factory()
    assert anonymous.get(url).status_code in (302, 401)
    assert anonymous.get(national_url).status_code in (302, 401)


def test_the_leader_downloads_the_cluster_summary_of_a_year_it_led_only(cluster_world, make_period, browser,
                                                                        browser_factory):
    import io

    import openpyxl

    from app.reporting import rollups

    b23, p23 = _submitted(cluster_world, make_period, "b", 2023, {"aid_vnd": 31_500_000_000})
    rollups.compute_full()
    browser.login("reporter@a.vn")
    assert f"/manage/tinh-a/cluster/{p23.id}/export.docx" in browser.get(
        f"/manage/tinh-a/cluster/{p23.id}").get_data(as_text=True)
    response = browser.get(f"/manage/tinh-a/cluster/{p23.id}/export.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    numbers = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]
    assert 31_500_000_000 in numbers  # B's figure, stored as a number
    assert browser.get(f"/manage/tinh-a/cluster/{p23.id}/export.pdf").status_code == 404
    leader_c = browser_factory()
    leader_c.login("reporter@c.vn")  # leads cluster 02: its own summary, without B (cluster 01 in 2023)
    other = leader_c.get(f"/manage/tinh-c/cluster/{p23.id}/export.csv")
    assert other.status_code == 200 and "31500000000" not in other.get_data(as_text=True).replace(".", "")
    member = browser_factory()
    member.login("reporter@b.vn")
    assert member.get(f"/manage/tinh-b/cluster/{p23.id}/export.xlsx").status_code == 404


@pytest.mark.parametrize("status", ["draft", "returned"])
def test_the_leader_never_reads_a_members_unsubmitted_report_nor_its_files(app, cluster_world, make_period, browser,
                                                                          status):
    period = make_period(2023)
    b_id = cluster_world["b"].id
    with tenant_context(b_id):
        report = workflow.open_report(period, cluster_world["users"]["b"])
        report.status = status
        db.session.flush()
        item = ReportAttachment(report_id=report.id, storage_key="knhap", original_name="nhap.pdf", extension="pdf",
                                content_type="application/pdf", size_bytes=9, sha256="0" * 64)
        db.session.add(item)
        db.session.commit()
        report_id, attachment_id = report.id, item.id
    path = Path(app.config["INSTANCE_DIR"]) / "reports" / str(b_id) / "knhap.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n")
    browser.login("reporter@a.vn")
    board = browser.get(f"/manage/tinh-a/cluster/{period.id}").get_data(as_text=True)
    assert "Liên hiệp tinh-b" in board and f"/cluster/reports/{report_id}" not in board
    url = f"/manage/tinh-a/cluster/reports/{report_id}"
    for path in (url, f"{url}/attachments/{attachment_id}", f"{url}/scores", f"{url}/return"):
        assert browser.get(path).status_code == 404, path


def test_the_deputy_reviews_the_leaders_own_report_from_its_console(cluster_world, make_period, browser,
                                                                   browser_factory):
    own, period = _submitted(cluster_world, make_period, "a", 2023)
    url = f"/manage/tinh-a/cluster/reports/{own}"
    browser.login("reporter@a.vn")
    board = browser.get(f"/manage/tinh-a/cluster/{period.id}").get_data(as_text=True)
    assert "Liên hiệp tinh-a" in board and f"/cluster/reports/{own}" not in board
    assert browser.get(url).status_code == 404
    assert browser.post(f"{url}/accept", token_from=f"/manage/tinh-a/cluster/{period.id}").status_code == 404
    cluster_world["c01"].leadership_in(2023).deputy_tenant_id = cluster_world["b"].id
    db.session.commit()
    deputy = browser_factory()
    deputy.login("reporter@b.vn")
    assert 'href="/manage/tinh-b/cluster/"' in deputy.get("/manage/tinh-b/").get_data(as_text=True)
    assert f"/manage/tinh-b/cluster/{period.id}" in deputy.get("/manage/tinh-b/cluster/").get_data(as_text=True)
    board = deputy.get(f"/manage/tinh-b/cluster/{period.id}").get_data(as_text=True)
    deputy_url = f"/manage/tinh-b/cluster/reports/{own}"
    assert deputy_url in board and "/ranking" not in board
    assert deputy.get(f"/manage/tinh-b/cluster/{period.id}/ranking").status_code == 404  # the leader's pages
    assert deputy.post(f"{deputy_url}/scores", {"points_c1": "6"}, token_from=f"{deputy_url}/scores").status_code \
        == 302
    assert deputy.post(f"{deputy_url}/accept", token_from=deputy_url).status_code == 302
    assert _status(cluster_world["a"], own) == "accepted" and _leader_scores(cluster_world["a"], own) == [(6, None)]
    assert browser.get(url).status_code == 404


def test_the_national_union_reviews_a_leaders_report_when_there_is_no_deputy(cluster_world, make_period, browser,
                                                                             browser_factory):
    own, period = _submitted(cluster_world, make_period, "a", 2023)
    with tenant_context(cluster_world["b"].id):
        report = workflow.open_report(period)
        workflow.save(report, values={"aid_vnd": 5})
        workflow.submit(report, cluster_world["users"]["b"])
        db.session.commit()
        member = report.id
    browser.login("admin@vufo.vn")
    url = f"/national/reports/{period.id}/unions/{cluster_world['a'].id}"
    page = browser.get(url).get_data(as_text=True)
    assert f"{url}/accept" in page and f"{url}/return" in page and f"{url}/scores" in page
    member_url = f"/national/reports/{period.id}/unions/{cluster_world['b'].id}"
    assert f"{member_url}/accept" not in browser.get(member_url).get_data(as_text=True)
    assert browser.get(f"{member_url}/return").status_code == 404  # A reviews B's report, not the nation
    assert browser.post(f"{member_url}/accept", token_from=member_url).status_code == 404
    refused = browser.post(f"{url}/return", {"reason": " "}, token_from=f"{url}/return")
    assert refused.status_code == 400
    assert browser.post(f"{url}/scores", {"points_c1": "7", "comment_c1": "Khá"},
                        token_from=f"{url}/scores").status_code == 302
    assert browser.post(f"{url}/accept", token_from=url).status_code == 302
    assert _status(cluster_world["a"], own) == "accepted" and _leader_scores(cluster_world["a"], own) == [(7, "Khá")]
    assert _status(cluster_world["b"], member) == "submitted"


CLUSTER_ROUTES = [("GET", ""), ("GET", "/return"), ("POST", "/return"), ("POST", "/accept"), ("GET", "/scores"),
                  ("POST", "/scores"), ("GET", "/attachments/{attachment_id}")]


@pytest.mark.parametrize(("method", "suffix"), CLUSTER_ROUTES)
def test_no_cluster_route_reaches_a_report_the_union_does_not_review(app, cluster_world, make_period, make_user,
                                                                      browser_factory, method, suffix):
    """The isolation matrix's check for the cluster review (see tests/isolation.py): B's submitted report of 2023,
    reviewed by A, is out of reach of the staff of B itself and of C (another cluster's leader), under their own
    slug and A's; nothing changes."""
    b_id, period = cluster_world["b"].id, make_period(2023)
    with tenant_context(b_id):
        report = workflow.open_report(period, cluster_world["users"]["b"])
        workflow.save(report, values={"aid_vnd": 1000}, scores={"c1": (5, "")})
        item = ReportAttachment(report_id=report.id, storage_key="kiso", original_name="a.pdf", extension="pdf",
                                content_type="application/pdf", size_bytes=9, sha256="0" * 64)
        db.session.add(item)
        workflow.submit(report, cluster_world["users"]["b"])
        db.session.commit()
        report_id, attachment_id = report.id, item.id
    make_user("admin@b.vn", tenant=cluster_world["b"], role="admin")
    make_user("admin@c.vn", tenant=cluster_world["c"], role="admin")
    data = {"GET": None, "POST": {"reason": "Thiếu", "points_c1": "3"}}[method]
    for email, own_slug, slug in (("admin@b.vn", "tinh-b", "tinh-b"), ("admin@c.vn", "tinh-c", "tinh-c"),
                                  ("reporter@c.vn", "tinh-c", "tinh-c"), ("admin@c.vn", "tinh-c", "tinh-a")):
        browser = browser_factory()
        browser.login(email)
        url = f"/manage/{slug}/cluster/reports/{report_id}" + suffix.format(attachment_id=attachment_id)
        response = browser.get(url) if method == "GET" else browser.post(url, data, token_from=f"/manage/{own_slug}/")
        assert response.status_code in ({403, 404} if slug == "tinh-a" else {404}), (email, url)
    assert _status(cluster_world["b"], report_id) == "submitted" and _leader_scores(cluster_world["b"], report_id) \
        == [(None, None)]
