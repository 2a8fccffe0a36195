"""Personal access tokens: created in the console (shown once, stored hashed), scoped by role, expiring, revocable;
the staff API writes drafts through the editorial workflow, never publishes, never touches another union."""

import hashlib
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.api import tokens
from app.api.models import ApiToken
from app.core.timeutil import utcnow
from app.extensions import db
from tenants.context import tenant_context
from tenants.scoping import all_tenants

TOKENS = "/manage/tinh-a/api-tokens/"


@pytest.fixture
def staff(tenant_a, tenant_b, make_user, make_category):
    make_category(tenant_a, "Tin hoạt động")
    make_category(tenant_b, "Tin hoạt động")
    return {"author": make_user("tac-gia@tinh-a.vn", tenant=tenant_a, role="author"),
            "editor": make_user("bien-tap@tinh-a.vn", tenant=tenant_a, role="editor"),
            "reporter": make_user("bao-cao@tinh-a.vn", tenant=tenant_a, role="reporter"),
            "b_editor": make_user("bien-tap@tinh-b.vn", tenant=tenant_b, role="editor")}


def _issue(user, tenant, scopes=("content:read", "content:write"), days=30) -> str:
    with tenant_context(tenant.id):
        _, text = tokens.issue(user, tenant, "Hệ thống văn bản", list(scopes), days)
    db.session.rollback()
    return text


def _bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}"}


def test_a_token_is_created_in_the_console_shown_once_and_stored_hashed(browser, staff):
    browser.login("tac-gia@tinh-a.vn")
    page = browser.get(TOKENS).get_data(as_text=True)
    assert 'value="content:write"' in page
    created = browser.post(TOKENS, {"name": "Hệ thống quản lý văn bản", "scopes": ["content:read", "content:write"],
                                    "days": "90"}, token_from=TOKENS)
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    text = re.search(r'value="(lhhn_[^"]+)"', created.get_data(as_text=True)).group(1)
    listing = browser.get(TOKENS).get_data(as_text=True)
    assert text not in listing and "Hệ thống quản lý văn bản" in listing  # never shown again
    with all_tenants("test: the stored token"):
        row = db.session.scalars(sa.select(ApiToken)).one()
        stored = (row.secret_hash, row.scopes, row.prefix)
    db.session.rollback()
    secret = text.split("_", 2)[2]
    assert stored[0] == hashlib.sha256(secret.encode()).hexdigest() and secret not in str(stored)
    assert stored[1] == ["content:read", "content:write"]
    refused = browser.post(TOKENS, {"name": "Quá quyền", "scopes": ["reports:write"], "days": "30"},
                           token_from=TOKENS)
    assert refused.status_code == 400


def test_a_token_carries_no_more_than_its_owners_role(browser, staff, tenant_a):
    browser.login("bao-cao@tinh-a.vn")  # a reporter: no content permission
    page = browser.get(TOKENS).get_data(as_text=True)
    assert 'value="content:' not in page
    refused = browser.post(TOKENS, {"name": "Tin bài", "scopes": ["content:write"], "days": "30"}, token_from=TOKENS)
    assert refused.status_code == 400
    with pytest.raises(ValueError):
        tokens.issue(staff["reporter"], tenant_a, "Tin bài", ["content:write"], 30)
    db.session.rollback()


def test_the_staff_api_writes_and_submits_a_draft_but_never_publishes(client, staff, tenant_a):
    text = _issue(staff["author"], tenant_a)
    me = client.get("/api/v1/manage/me", headers=_bearer(text))
    assert me.status_code == 200 and me.get_json()["union"] == "tinh-a"
    created = client.post("/api/v1/manage/articles", headers=_bearer(text), json={
        "title": "Đoàn công tác thăm tỉnh bạn", "category": "tin-hoat-dong", "body_html": "<p>Nội dung</p>"
        "<script>alert(1)</script>", "tags": ["Hữu nghị"]})
    assert created.status_code == 201, created.get_data(as_text=True)
    draft = created.get_json()
    assert draft["status"] == "draft" and "<script>" not in draft["body_html"] and draft["tags"] == ["huu-nghi"]
    publish = client.patch(f"/api/v1/manage/articles/{draft['id']}", headers=_bearer(text),
                           json={"status": "published"})
    assert publish.status_code == 422 and publish.mimetype == "application/problem+json"  # no such field
    edited = client.patch(f"/api/v1/manage/articles/{draft['id']}", headers=_bearer(text),
                          json={"summary": "Tóm tắt mới"})
    assert edited.status_code == 200 and edited.get_json()["summary"] == "Tóm tắt mới"
    submitted = client.post(f"/api/v1/manage/articles/{draft['id']}/submit", headers=_bearer(text))
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "in_review"
    again = client.patch(f"/api/v1/manage/articles/{draft['id']}", headers=_bearer(text), json={"summary": "x"})
    assert again.status_code == 403  # in review: the author's part is done
    public = client.get(f"/api/v1/articles/{draft['id']}", base_url="http://tinh-a.localhost")
    assert public.status_code == 404  # not published by the API
    unknown = client.post("/api/v1/manage/articles", headers=_bearer(text),
                          json={"title": "Tin", "category": "khong-co"})
    assert unknown.status_code == 422 and "category" in unknown.get_json()["errors"]


def test_401_403_and_404_each_where_it_belongs(client, staff, tenant_a, tenant_b, make_article):
    reader = _issue(staff["editor"], tenant_a, scopes=("content:read",))
    assert client.get("/api/v1/manage/me").status_code == 401
    assert client.get("/api/v1/manage/me").headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/manage/me", headers=_bearer("lhhn_abc_wrong")).status_code == 401
    assert client.get("/api/v1/manage/me", headers=_bearer(reader[:-2] + "xx")).status_code == 401
    no_write = client.post("/api/v1/manage/articles", headers=_bearer(reader),
                           json={"title": "Tin", "category": "tin-hoat-dong"})
    assert no_write.status_code == 403 and no_write.mimetype == "application/problem+json"
    other = make_article(tenant_b, "Tin của tỉnh B", status="draft").id
    for method, path in (("get", f"/api/v1/manage/articles/{other}"),
                         ("patch", f"/api/v1/manage/articles/{other}"),
                         ("post", f"/api/v1/manage/articles/{other}/submit")):
        kwargs = {"json": {"summary": "x"}} if method == "patch" else {}
        writer = _issue(staff["editor"], tenant_a) if method != "get" else reader
        answer = getattr(client, method)(path, headers=_bearer(writer), **kwargs)
        assert answer.status_code == 404, (method, path)  # another union's article does not exist here
    listed = client.get("/api/v1/manage/articles", headers=_bearer(reader)).get_json()
    assert other not in [a["id"] for a in listed["items"]]
    on_b_host = client.get("/api/v1/manage/me", headers=_bearer(reader), base_url="http://tinh-b.localhost")
    assert on_b_host.status_code == 404


def test_expired_and_revoked_tokens_are_refused(client, staff, tenant_a):
    text = _issue(staff["editor"], tenant_a)
    assert client.get("/api/v1/manage/me", headers=_bearer(text)).status_code == 200
    with all_tenants("test: expire the token"):
        db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    expired = client.get("/api/v1/manage/me", headers=_bearer(text))
    assert expired.status_code == 401 and expired.get_json()["detail"] != ""
    fresh = _issue(staff["editor"], tenant_a)
    with tenant_context(tenant_a.id):
        tokens.revoke(db.session.scalars(sa.select(ApiToken).where(ApiToken.revoked_at.is_(None),
                                                                   ApiToken.expires_at > utcnow())).one())
    assert client.get("/api/v1/manage/me", headers=_bearer(fresh)).status_code == 401


def test_a_token_loses_what_its_owner_loses(client, staff, tenant_a):
    from app.accounts.models import Membership

    text = _issue(staff["editor"], tenant_a)
    with tenant_context(tenant_a.id):
        membership = db.session.scalars(sa.select(Membership).where(Membership.user_id == staff["editor"].id)).one()
        membership.role = "reporter"
        db.session.commit()
    refused = client.post("/api/v1/manage/articles", headers=_bearer(text),
                          json={"title": "Tin", "category": "tin-hoat-dong"})
    assert refused.status_code == 403


def test_every_use_is_audited_and_revoking_takes_a_confirmation(browser, client, staff, tenant_a):
    text = _issue(staff["editor"], tenant_a)
    client.get("/api/v1/manage/me", headers=_bearer(text))
    from app.core.audit import AuditEntry

    with tenant_context(tenant_a.id):
        used = sa.select(AuditEntry).where(AuditEntry.action == "api.request")
        actions = [e.detail for e in db.session.scalars(used)]
    db.session.rollback()
    assert actions == ["GET /api/v1/manage/me → 200"]
    browser.login("bien-tap@tinh-a.vn")
    with tenant_context(tenant_a.id):
        token_id = db.session.scalars(sa.select(ApiToken.id)).one()
    db.session.rollback()
    unconfirmed = browser.post(f"{TOKENS}{token_id}/revoke", {}, token_from=TOKENS)
    assert unconfirmed.status_code == 302
    assert client.get("/api/v1/manage/me", headers=_bearer(text)).status_code == 200
    browser.post(f"{TOKENS}{token_id}/revoke", {"confirm": "y"}, token_from=TOKENS)
    assert client.get("/api/v1/manage/me", headers=_bearer(text)).status_code == 401


def test_each_token_has_its_own_rate_limit(app, client, staff, tenant_a, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_RATE_LIMIT", "3/minute")
    first, second = _issue(staff["editor"], tenant_a), _issue(staff["author"], tenant_a)
    answers = [client.get("/api/v1/manage/me", headers=_bearer(first)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get("/api/v1/manage/me", headers=_bearer(first))
    assert limited.mimetype == "application/problem+json"
    assert client.get("/api/v1/manage/me", headers=_bearer(second)).status_code == 200  # its own budget


def test_uploads_go_through_the_consoles_checks(client, staff, tenant_a):
    import io

    from PIL import Image

    text = _issue(staff["author"], tenant_a)
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(picture, "PNG")
    no_alt = client.post("/api/v1/manage/media", headers=_bearer(text), content_type="multipart/form-data",
                         data={"file": (io.BytesIO(picture.getvalue()), "hoi-nghi.png")})
    assert no_alt.status_code == 422 and "file" in no_alt.get_json()["errors"]  # an image needs its description
    added = client.post("/api/v1/manage/media", headers=_bearer(text), content_type="multipart/form-data",
                        data={"file": (io.BytesIO(picture.getvalue()), "hoi-nghi.png"),
                              "alt_text": "Quang cảnh hội nghị"})
    assert added.status_code == 201, added.get_data(as_text=True)
    item = added.get_json()
    assert item["kind"] == "image" and (item["width"], item["height"]) == (40, 30)
    assert client.get(item["url"].split("localhost", 1)[1], base_url="http://localhost").status_code == 200
    fake = client.post("/api/v1/manage/media", headers=_bearer(text), content_type="multipart/form-data",
                       data={"file": (io.BytesIO(b"MZ\x90\x00not a picture"), "anh.png"), "alt_text": "x"})
    assert fake.status_code == 422
    document = client.post("/api/v1/manage/documents", headers=_bearer(text), content_type="multipart/form-data",
                           data={"number": "12-KH/LHH", "issuer": "Liên hiệp tỉnh A", "title": "Kế hoạch năm 2026",
                                 "issued_on": "2026-01-15", "doc_type": "plan",
                                 "file": (io.BytesIO(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
                                          "ke-hoach.pdf")})
    assert document.status_code == 201, document.get_data(as_text=True)
    assert document.get_json()["published"] is False and document.get_json()["size"] > 0
    public = client.get(f"/api/v1/documents/{document.get_json()['id']}", base_url="http://tinh-a.localhost")
    assert public.status_code == 404  # unpublished until an editor publishes it
    reader = _issue(staff["editor"], tenant_a, scopes=("content:read",))
    assert client.post("/api/v1/manage/documents", headers=_bearer(reader), content_type="multipart/form-data",
                       data={"number": "1", "issuer": "x", "title": "y"}).status_code == 403


def test_input_no_database_could_store_is_refused_with_a_422(client, staff, tenant_a):
    text = _issue(staff["author"], tenant_a)
    for body in ({"title": "Tin\x00", "category": "tin-hoat-dong"}, {"title": "Tin", "category": "tin-hoat-dong",
                                                                      "tags": ["a\x00b"]}):
        refused = client.post("/api/v1/manage/articles", headers=_bearer(text), json=body)
        assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert client.get("/api/v1/articles?q=a%00b", base_url="http://tinh-a.localhost").status_code in (400, 422)
    spaces = client.post("/api/v1/manage/documents", headers=_bearer(text), content_type="multipart/form-data",
                         data={"number": "   ", "issuer": "Liên hiệp tỉnh A", "title": "Kế hoạch"})
    assert spaces.status_code == 422 and "number" in spaces.get_json()["errors"]
    big = client.post("/api/v1/manage/articles", headers={**_bearer(text), "Content-Type": "application/json"},
                      data=b'{"title": "' + b"x" * (1024 * 1024 + 10) + b'"}')
    assert big.status_code == 413
