"""Donor proposals: a union proposes; national admins accept, merge (references move) or decline (with a reason)."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from app.aid.models import AidProject, AidTransaction, Donor, DonorProposal
from app.core.money import Money
from app.extensions import db
from tenants.scoping import all_tenants

C = "commitment"


def donor_names() -> dict[str, str]:
    db.session.expire_all()
    return {d.name: d.status for d in db.session.scalars(sa.select(Donor))}


def proposal_state(proposal_id: int) -> DonorProposal:
    db.session.expire_all()
    with all_tenants("test"):
        row = db.session.get(DonorProposal, proposal_id)
        _ = row.donor
        return row


def project_refs(project_id: int) -> tuple[list[str], list[str | None]]:
    db.session.expire_all()
    with all_tenants("test"):
        project = db.session.get(AidProject, project_id)
        return ([d.name for d in project.donors],
                [t.donor.name if t.donor else None for t in db.session.scalars(
                    sa.select(AidTransaction).where(AidTransaction.project_id == project_id))])


@pytest.fixture
def union_a(make_user, tenant_a, browser):
    make_user("editor@a.vn", tenant=tenant_a, role="editor")
    browser.login("editor@a.vn")
    return browser


@pytest.fixture
def used_proposal(make_donor_proposal, make_aid_project, tenant_a, make_donor):
    """A's proposal, already named on one of A's projects and its transaction; an existing donor to merge into."""
    existing = make_donor("Korea Children Care Center", acronym="KCCC", country="KR")
    proposal = make_donor_proposal(tenant_a, "KCCC Hàn Quốc", acronym="KCCC-HQ", country="KR")
    proposal_id, donor = proposal.id, db.session.get(Donor, proposal.donor_id)
    project = make_aid_project(tenant_a, "Dự án có nhà tài trợ đề xuất", donors=[donor, existing],
                               transactions=[(C, date(2023, 3, 1), Money(1_000_000, "VND"), donor)])
    return proposal_id, project.id, existing


def test_a_union_proposes_and_may_name_the_donor_at_once(union_a, tenant_a):
    response = union_a.post("/manage/tinh-a/aid/donors/", {"name": "Quỹ Hoa Sen", "acronym": "HS", "country": "jp",
                                                          "note": "Tài trợ học bổng ở huyện Tứ Kỳ."},
                            token_from="/manage/tinh-a/aid/donors/")
    assert response.status_code == 302
    assert donor_names()["Quỹ Hoa Sen"] == "proposed"
    detail = union_a.get(response.headers["Location"]).get_data(as_text=True)
    assert "Quỹ Hoa Sen" in detail and "đang chờ duyệt" in detail
    assert "Quỹ Hoa Sen (HS)" in union_a.get("/manage/tinh-a/aid/new").get_data(as_text=True)
    again = union_a.post("/manage/tinh-a/aid/donors/", {"name": "quỹ hoa sen", "country": "JP"},
                         token_from="/manage/tinh-a/aid/donors/")
    assert again.status_code == 400 and "đã có trong danh bạ" in again.get_data(as_text=True)
    bad = union_a.post("/manage/tinh-a/aid/donors/", {"name": "Quỹ khác", "country": "Nhật"},
                       token_from="/manage/tinh-a/aid/donors/")
    assert bad.status_code == 400 and "Hai chữ cái" in bad.get_data(as_text=True)


def test_union_b_cannot_see_as_proposal(make_user, tenant_b, browser, make_donor_proposal, tenant_a):
    proposal_id = make_donor_proposal(tenant_a, "Trang riêng của A Foundation").id
    make_user("admin@b.vn", tenant=tenant_b, role="admin")
    browser.login("admin@b.vn")
    assert browser.get(f"/manage/tinh-b/aid/donors/{proposal_id}").status_code == 404
    for url in ("/manage/tinh-b/aid/donors/", "/manage/tinh-b/aid/new"):
        assert "Trang riêng của A" not in browser.get(url).get_data(as_text=True)


def test_a_union_cannot_decide_and_a_viewer_only_looks(union_a, make_user, browser_factory, used_proposal):
    proposal_id = used_proposal[0]
    for action in ("accept", "merge", "decline"):
        assert union_a.post(f"/national/aid/proposals/{proposal_id}/{action}", {"reason": "x"},
                            token_from="/manage/tinh-a/aid/donors/").status_code == 403
    assert union_a.get(f"/national/aid/proposals/{proposal_id}").status_code == 403
    make_user("viewer@vufo.vn", national_role="national_viewer")
    viewer = browser_factory()
    viewer.login("viewer@vufo.vn")
    page = viewer.get(f"/national/aid/proposals/{proposal_id}").get_data(as_text=True)
    assert "KCCC Hàn Quốc" in page and "1 dự án, 1 giao dịch" in page and "Đưa vào danh bạ" not in page
    assert viewer.post(f"/national/aid/proposals/{proposal_id}/accept",
                       token_from="/national/aid/").status_code == 403
    assert proposal_state(proposal_id).status == "pending"


@pytest.fixture
def root(make_user, browser_factory, national):
    make_user("root@vufo.vn", national_role="platform_admin")
    client = browser_factory()
    client.login("root@vufo.vn")
    return client


def test_national_admin_sees_pending_and_accepts(root, used_proposal):
    proposal_id, project_id, _existing = used_proposal
    listing = root.get("/national/aid/").get_data(as_text=True)
    assert "Đề xuất nhà tài trợ đang chờ duyệt (1)" in listing
    assert f'href="/national/aid/proposals/{proposal_id}"' in listing
    response = root.post(f"/national/aid/proposals/{proposal_id}/accept",
                         token_from=f"/national/aid/proposals/{proposal_id}")
    assert response.status_code == 302
    assert donor_names()["KCCC Hàn Quốc"] == "active" and proposal_state(proposal_id).status == "accepted"
    assert project_refs(project_id) == (["KCCC Hàn Quốc", "Korea Children Care Center"], ["KCCC Hàn Quốc"])
    assert "chờ duyệt" not in root.get("/national/aid/").get_data(as_text=True)
    twice = root.post(f"/national/aid/proposals/{proposal_id}/accept",
                      token_from=f"/national/aid/proposals/{proposal_id}", follow_redirects=True)
    assert "đã được xử lý" in twice.get_data(as_text=True)


def test_merge_moves_every_reference_to_the_existing_donor(root, used_proposal, union_a):
    proposal_id, project_id, existing = used_proposal
    page = root.get(f"/national/aid/proposals/{proposal_id}").get_data(as_text=True)
    assert re.search(rf'<option value="{existing.id}">Korea Children Care Center \(KCCC\)</option>', page)
    response = root.post(f"/national/aid/proposals/{proposal_id}/merge", {"target_id": str(existing.id)},
                         token_from=f"/national/aid/proposals/{proposal_id}")
    assert response.status_code == 302
    assert "KCCC Hàn Quốc" not in donor_names()
    # the project already named KCCC: one link remains, not two; the transaction now names KCCC
    assert project_refs(project_id) == (["Korea Children Care Center"], ["Korea Children Care Center"])
    state = proposal_state(proposal_id)
    assert state.status == "merged" and state.donor.name == "Korea Children Care Center"
    assert "Korea Children Care Center" in union_a.get(f"/manage/tinh-a/aid/donors/{proposal_id}").get_data(
        as_text=True)


def test_merge_into_a_proposed_donor_is_refused(root, used_proposal, make_donor_proposal, tenant_b):
    proposal_id = used_proposal[0]
    other = make_donor_proposal(tenant_b, "Quỹ của B").donor_id
    response = root.post(f"/national/aid/proposals/{proposal_id}/merge", {"target_id": str(other)},
                         token_from=f"/national/aid/proposals/{proposal_id}")
    assert response.status_code == 400 and proposal_state(proposal_id).status == "pending"


def test_decline_needs_a_reason_and_clears_the_references(root, used_proposal, union_a):
    proposal_id, project_id, _existing = used_proposal
    empty = root.post(f"/national/aid/proposals/{proposal_id}/decline", {"reason": ""},
                      token_from=f"/national/aid/proposals/{proposal_id}")
    assert empty.status_code == 400 and proposal_state(proposal_id).status == "pending"
    response = root.post(f"/national/aid/proposals/{proposal_id}/decline",
                         {"reason": "Tổ chức chưa có giấy đăng ký hoạt động tại Việt Nam."},
                         token_from=f"/national/aid/proposals/{proposal_id}")
    assert response.status_code == 302
    assert "KCCC Hàn Quốc" not in donor_names()
    assert project_refs(project_id) == (["Korea Children Care Center"], [None])
    page = union_a.get(f"/manage/tinh-a/aid/donors/{proposal_id}").get_data(as_text=True)
    assert "đã từ chối" in page and "chưa có giấy đăng ký hoạt động" in page


def test_unknown_proposal_is_404(root):
    assert root.get("/national/aid/proposals/999999").status_code == 404
    assert root.post("/national/aid/proposals/999999/accept", token_from="/national/aid/").status_code == 404
