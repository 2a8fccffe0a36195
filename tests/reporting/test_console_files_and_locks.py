"""A report's private attachments (types, size, who may download), and the lock: once submitted, no route
writes to the report."""

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reporting import workflow
from app.reporting.models import Report, ReportAttachment, ReportEvent, ReportNarrative, ReportScore, ReportValue
from tenants.context import tenant_context
from tenants.scoping import all_tenants

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _upload(browser, report_id, name, data, slug="tinh-b"):
    return browser.post(f"/manage/{slug}/reports/{report_id}/attachments", {"file": (io.BytesIO(data), name)},
                        token_from=f"/manage/{slug}/reports/{report_id}", content_type="multipart/form-data")


def _attachments(tenant) -> list[tuple]:
    """(id, storage key, original name) of the union's attachments."""
    with tenant_context(tenant.id):
        return db.session.execute(sa.select(ReportAttachment.id, ReportAttachment.storage_key,
                                            ReportAttachment.original_name).order_by(ReportAttachment.id)).all()


@pytest.fixture
def draft(cluster_world, make_period):
    with tenant_context(cluster_world["b"].id):
        report = workflow.open_report(make_period(2023), cluster_world["users"]["b"])
        db.session.commit()
        return report.id


def test_attach_download_and_remove_with_confirmation(app, cluster_world, draft, browser):
    browser.login("reporter@b.vn")
    assert _upload(browser, draft, "Báo cáo tổng kết.pdf", PDF).status_code == 302
    item_id, key, _name = _attachments(cluster_world["b"])[0]
    path = Path(app.config["INSTANCE_DIR"]) / "reports" / str(cluster_world["b"].id) / f"{key}.pdf"
    assert path.read_bytes() == PDF and len(key) == 32
    page = browser.get(f"/manage/tinh-b/reports/{draft}").get_data(as_text=True)
    assert "Báo cáo tổng kết.pdf" in page and f"/manage/tinh-b/reports/attachments/{item_id}" in page
    download = browser.get(f"/manage/tinh-b/reports/attachments/{item_id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert "attachment;" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "private, no-store"
    confirm = browser.get(f"/manage/tinh-b/reports/attachments/{item_id}/delete")
    assert confirm.status_code == 200 and "Tệp sẽ bị xóa" in confirm.get_data(as_text=True)
    assert _attachments(cluster_world["b"]) != []  # asking is not deleting
    removed = browser.post(f"/manage/tinh-b/reports/attachments/{item_id}/delete",
                           token_from=f"/manage/tinh-b/reports/attachments/{item_id}/delete")
    assert removed.status_code == 302 and _attachments(cluster_world["b"]) == [] and not path.exists()
    with tenant_context(cluster_world["b"].id):
        actions = db.session.scalars(sa.select(ReportEvent.action).order_by(ReportEvent.id)).all()
    assert actions == ["created", "attachment_added", "attachment_removed"]


def test_images_are_taken_and_other_types_or_sizes_refused(app, cluster_world, draft, browser, monkeypatch):
    from PIL import Image

    browser.login("reporter@b.vn")
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(png, "PNG")
    assert _upload(browser, draft, "anh-hoi-nghi.png", png.getvalue()).status_code == 302
    for name, data, message in (("virus.exe", b"MZ\x90\x00", "không được chấp nhận"),
                                ("gia-mao.pdf", b"<html>not a pdf</html>", "không phải là tài liệu .pdf"),
                                ("rong.pdf", b"", "Tệp rỗng.")):
        refused = _upload(browser, draft, name, data)
        assert refused.status_code == 400 and message in refused.get_data(as_text=True), name
    monkeypatch.setitem(app.config, "MEDIA_MAX_FILE_BYTES", 50)
    too_big = _upload(browser, draft, "lon.pdf", PDF + b" " * 100)
    assert too_big.status_code == 400 and "lớn hơn" in too_big.get_data(as_text=True)
    assert [name for _id, _key, name in _attachments(cluster_world["b"])] == ["anh-hoi-nghi.png"]


def test_attachments_are_private_to_the_union(app, cluster_world, draft, browser, browser_factory, make_user):
    from app.reporting import attachments

    with tenant_context(cluster_world["b"].id):
        report = db.session.get(Report, draft)
        item_id = attachments.store(report, "bao-cao.pdf", PDF, cluster_world["users"]["b"]).id
    url = f"/manage/tinh-b/reports/attachments/{item_id}"
    assert browser.get(url).status_code == 302  # anonymous: to the sign-in page
    assert browser.get(f"/media/{item_id}/bao-cao.pdf", host="tinh-b.localhost").status_code == 404
    browser.login("reporter@a.vn")  # another union, even the cluster leader's staff
    assert browser.get(url).status_code in (403, 404)
    assert browser.get(f"/manage/tinh-a/reports/attachments/{item_id}").status_code == 404
    make_user("author@b.vn", tenant=cluster_world["b"], role="author")
    staff = browser_factory()
    staff.login("author@b.vn")  # any staff member of the union reads
    assert staff.get(url).data == PDF


# --- the lock: every write route against a submitted report ---------------------------------------------

def _state(report_id: int) -> dict:
    """Everything a write could touch, read past the tenant filter."""
    with all_tenants("test: report lock snapshot"):
        def rows(model, *cols):
            return sorted(db.session.execute(sa.select(*cols).where(model.report_id == report_id)).all())

        state = {"report": db.session.execute(sa.select(Report.status, Report.updated_at, Report.unlock_reason)
                                              .where(Report.id == report_id)).one(),
                 "values": rows(ReportValue, ReportValue.id, ReportValue.value, ReportValue.comment),
                 "narratives": rows(ReportNarrative, ReportNarrative.key, ReportNarrative.body_html),
                 "scores": rows(ReportScore, ReportScore.criterion_id, ReportScore.self_points),
                 "attachments": rows(ReportAttachment, ReportAttachment.id),
                 "events": rows(ReportEvent, ReportEvent.id)}
        db.session.rollback()
        return state


@pytest.mark.parametrize("status", ["submitted", "accepted", "final"])
def test_no_route_writes_to_a_locked_report(cluster_world, draft, browser, status):
    from app.reporting import attachments

    b, user = cluster_world["b"], cluster_world["users"]["b"]
    with tenant_context(b.id):
        report = db.session.get(Report, draft)
        workflow.save(report, user, values={"aid_vnd": 1000}, narratives={"results": "<p>Kết quả</p>"},
                      scores={"c1": (5, "")})
        db.session.commit()
        item_id = attachments.store(report, "bao-cao.pdf", PDF, user).id
        workflow.submit(report, user)
        db.session.commit()
        report.status = status
        db.session.commit()
        period_id = report.period_id
    before = _state(draft)
    browser.login("reporter@b.vn")
    token = f"/manage/tinh-b/reports/{draft}"
    form = {"figure:aid_vnd": "9.999", "section:results": "<p>Đã sửa</p>", "points:c1": "9"}
    attempts = [
        browser.post(f"/manage/tinh-b/reports/{draft}", form, token_from=token),
        browser.post(f"/manage/tinh-b/reports/{draft}/autosave", form, token_from=token),
        browser.post(f"/manage/tinh-b/reports/{draft}/submit", token_from=token),
        browser.get(f"/manage/tinh-b/reports/{draft}/submit"),
        _upload(browser, draft, "them.pdf", PDF),
        browser.get(f"/manage/tinh-b/reports/attachments/{item_id}/delete"),
        browser.post(f"/manage/tinh-b/reports/attachments/{item_id}/delete", token_from=token),
    ]
    assert [r.status_code for r in attempts] == [409] * len(attempts)
    assert "Báo cáo đã bị khóa" in attempts[0].get_data(as_text=True)
    assert attempts[1].json["saved"] is False
    reopened = browser.post(f"/manage/tinh-b/reports/periods/{period_id}/open", token_from=token)
    assert reopened.headers["Location"].endswith(f"/reports/{draft}")  # the same report, untouched
    assert _state(draft) == before  # nothing changed: figures, narratives, scores, files, history
