"""The demo flow of issue 6 in a real browser: on the demo data, Tuyên Quang's reporter opens the 2026 annual
report, fills it (figures the Vietnamese way, the narrative in Quill, the self-assessment, an attachment) while
it saves itself, submits it; the cluster leader's staff (Phú Thọ leads in 2026) find the notification in the console
bell and by e-mail. The demo's 2026 annual review is open (due 20/12/2026) and Tuyên Quang has not started it."""


import pytest

from tests.e2e.test_editorial_browser import _sign_in, _watch_csp

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXPLANATION = "Số liệu đã đối chiếu với sổ sách của Liên hiệp."


def test_union_fills_and_submits_its_report_and_the_cluster_leader_is_told(live_server, page, app, mailbox,
                                                                           monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "REPORT_AUTOSAVE_SECONDS", 1)
    base, _port = live_server
    violations = _watch_csp(page)
    _sign_in(page, base, "reporter@tuyen-quang.demo")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    row = page.locator("tr", has_text="Tổng kết năm 2026")
    assert "Chưa bắt đầu" in row.inner_text()
    row.get_by_role("button", name="Bắt đầu báo cáo").click()
    page.wait_for_url("**/manage/tuyen-quang/reports/*")
    report_url = page.url
    assert page.locator(".ql-toolbar").count() == 3  # results, shortcomings, key tasks in the rich-text editor

    page.locator('input[name="figure:activities.held"]').fill("42")
    page.locator('input[name="figure:delegations.received"]').fill("1.353")
    page.locator('input[name="figure:plan.completion_bp"]').fill("91,1")
    for comment in page.locator('textarea[name^="comment:"]').all():
        comment.fill(EXPLANATION)  # the aid and member figures differ a lot from 2025: a comment passes
    page.locator(".ql-editor").first.click()
    page.keyboard.type("Tổ chức 42 hoạt động đối ngoại nhân dân, đón 9 đoàn khách quốc tế.")
    for n, points in enumerate(("28", "35", "27"), start=1):
        page.locator(f"#points-{n}").fill(points)
    status = page.locator("#autosave-status")
    status.filter(has_text="Đã lưu lúc").wait_for(timeout=15_000)  # saved as you go, without a click

    page.set_input_files('input[name="file"]', files=[{"name": "Bien ban hoi nghi.pdf", "mimeType": "application/pdf",
                                                       "buffer": PDF}])
    page.get_by_role("button", name="Đính kèm", exact=True).click()
    assert "Đã đính kèm “Bien ban hoi nghi.pdf”." in page.locator(".flashes").inner_text()
    # the page came back from the server: what autosave sent is stored
    assert page.locator('input[name="figure:delegations.received"]').input_value() == "1.353"
    assert page.locator('input[name="figure:plan.completion_bp"]').input_value() == "91,1"
    assert "đón 9 đoàn khách quốc tế" in page.locator(".ql-editor").first.inner_text()

    page.get_by_role("link", name="Gửi báo cáo…").click()
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_url(report_url)
    assert "Đã gửi báo cáo" in page.locator(".flashes").inner_text()
    assert "Báo cáo đã bị khóa" in page.locator(".notice.locked").inner_text()
    assert page.locator('input[name="figure:activities.held"]').is_disabled()
    page.screenshot(path=str(tmp_path / "submitted.png"), full_page=True)

    leader = page.context.browser.new_context(locale="vi-VN").new_page()
    violations += _watch_csp(leader)
    _sign_in(leader, base, "reporter@phu-tho.demo")
    leader.goto(f"{base}/manage/phu-tho/")
    assert leader.locator(".bell-count").inner_text() == "1"
    leader.locator("a.bell").click()
    assert "Đã nộp báo cáo: Liên hiệp các tổ chức hữu nghị tỉnh Tuyên Quang, Tổng kết năm 2026" in \
        leader.locator("main").inner_text()

    messages = mailbox.wait(2)
    to_leader = [m for m in messages if "Tuyên Quang" in m["Subject"]]
    assert {m["To"] for m in to_leader} == {"admin@phu-tho.demo", "reporter@phu-tho.demo"}
    assert violations == []
