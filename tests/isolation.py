"""The cross-tenant matrix: every tenant-scoped model with the console URLs that reach its rows.

Each later feature adds its (model, URL pattern, method) entries here the day the model is born;
tests/tenants/test_isolation_matrix.py drives them from tenant B's staff against tenant A's rows and
fails if a tenant-scoped model has no entry.

`make(factories, tenant)` gets any test fixture by name (`factories["make_page"]`). A write route's `data`
must change the row when the owner sends it: the control test checks that it does, so the matrix's
"A's row is unchanged" check after B's attempt means something. A `public` route is asked on B's host
with A's id (404 expected) and, as the control, on A's host (200); `make` must then create a public row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Route:
    pattern: str  # formatted with slug= and id=
    method: str = "GET"
    data: dict = field(default_factory=dict)
    public: bool = False  # a public-site URL: asked on the tenant's own host ({slug}.localhost), not the console


@dataclass(frozen=True)
class Entry:
    model: str  # table name of the tenant-scoped model
    make: Callable  # make(factories, tenant) -> id of a new row owned by tenant, or (id, {url values})
    routes: tuple[Route, ...]


def _page(factories, tenant) -> int:
    return factories["make_page"](tenant, "Trang riêng của A").id


def _category(factories, tenant) -> int:
    return factories["make_category"](tenant, "Chuyên mục riêng của A").id


def _article(factories, tenant) -> int:
    return factories["make_article"](tenant, "Trang riêng của A").id


def _tag(factories, tenant) -> int:
    return _tagged(factories, tenant)[1]["tag_id"]


def _tagged(factories, tenant) -> tuple[int, dict]:
    """An article-tag link; its URL is the tag's page, which lists A's article."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.news.models import ArticleTag
    from tenants.context import tenant_context

    article = factories["make_article"](tenant, "Trang riêng của A", tags=("Riêng A",))
    with tenant_context(tenant.id):
        link = db.session.scalars(sa.select(ArticleTag).where(ArticleTag.article_id == article.id)).one()
        return link.id, {"tag_id": link.tag_id}
def _member(factories, tenant) -> int:
    return factories["make_member"](tenant, "Trang riêng của A", slug="hoi-rieng-cua-a").id


def _partner(factories, tenant) -> int:
    return factories["make_partner"](tenant, "Trang riêng của A").id


def _agreement(factories, tenant) -> int:
    locality = factories["make_partner"](tenant, "Địa phương của A")
    return factories["make_agreement"](tenant, locality, "Trang riêng của A").id


def _document(factories, tenant) -> int:
    return factories["make_document"](tenant, "Trang riêng của A").id


def _api_token(factories, tenant) -> int:
    return factories["make_api_token"](tenant)[0].id


def _webhook(factories, tenant) -> int:
    from app.api import webhooks
    from app.extensions import db
    from tenants.context import tenant_context

    with tenant_context(tenant.id):
        hook = webhooks.Webhook(tenant_id=tenant.id, url="https://example.com/trang-rieng-cua-a", secret="0" * 64,
                                events=["article.published"])
        db.session.add(hook)
        db.session.commit()
        return hook.id
def _visit_daily(factories, tenant) -> int:
    return factories["make_visit_daily"](tenant).id


def _visit_visitor(factories, tenant) -> int:
    return factories["make_visit_visitor"](tenant).id
def _aid_project(factories, tenant) -> int:
    return factories["make_aid_project"](tenant, "Trang riêng của A").id


def _aid_transaction(factories, tenant) -> int:
    from datetime import date

    from app.core.money import Money

    project = factories["make_aid_project"](tenant, "Trang riêng của A", transactions=[
        ("commitment", date(2023, 1, 1), Money(1_000_000, "VND"))])
    return project.transactions[0].id


def _notification(factories, tenant) -> int:
    """A notification for A's admin (the control signs in as admin@tinh-a.vn and marks it read)."""
    admin = factories["make_user"](f"admin@{tenant.slug}.vn", tenant=tenant, role="admin")
    return factories["make_notification"](tenant, admin, "Trang riêng của A").id


def _outbox_message(factories, tenant) -> int:
    return factories["make_outbox_message"](tenant, "Trang riêng của A").id


def _subscriber(factories, tenant) -> int:
    return factories["make_subscriber"](tenant, "trang-rieng-cua-a@example.vn").id


def _newsletter_watermark(factories, tenant) -> int:
    import sqlalchemy as sa

    from app.extensions import db
    from app.notifications.models import NewsletterWatermark
    from tenants.context import tenant_context

    factories["make_subscriber"](tenant, "ban-doc@example.vn")
    with tenant_context(tenant.id):
        return db.session.scalar(sa.select(NewsletterWatermark.id))


def _media(factories, tenant) -> tuple[int, dict]:
    item = factories["make_media"](tenant, "anh-rieng-cua-a.jpg")
    return item.id, {"name": "anh-rieng-cua-a.jpg"}


def _invitation(factories, tenant) -> int:
    return factories["make_invitation"](tenant, "nguoi-duoc-moi@a.vn").id


def _domain_request(factories, tenant) -> int:
    return factories["make_domain_request"](tenant, "trang-rieng-cua-a.gov.vn").id


def _nomination(factories, tenant) -> tuple[int, dict]:
    nomination = factories["make_nomination"](tenant, "Trang riêng của A", status="declined")
    return nomination.id, {"article_id": nomination.article_id}

def _aid_import(factories, tenant) -> int:
    return factories["make_staged_import"](tenant).id


def _donor_proposal(factories, tenant) -> int:
    return factories["make_donor_proposal"](tenant).id



def _report(factories, tenant) -> int:
    period = factories["make_period"](2023)
    return factories["make_report"](tenant, period, {"aid_vnd": 1}).id


def _report_submitted(factories, tenant) -> int:
    period = factories["make_period"](2023)
    return factories["make_report"](tenant, period, {"aid_vnd": 1}, status="submitted").id


def _report_child(model_name: str):
    """A figure, narrative or history entry of A's report; its URLs name the report (report_id)."""
    def make(factories, tenant) -> tuple[int, dict]:
        import sqlalchemy as sa

        from app.extensions import db
        from app.reporting import models, workflow
        from tenants.context import tenant_context

        report_id = _report(factories, tenant)
        with tenant_context(tenant.id):
            report = db.session.get(models.Report, report_id)
            workflow.save(report, values={"aid_vnd": 2}, narratives={"results": "<p>Riêng của A</p>"})
            db.session.commit()
            model = getattr(models, model_name)
            return db.session.scalars(sa.select(model.id).where(model.report_id == report_id)).first(), \
                {"report_id": report_id}

    return make


def _report_score(factories, tenant) -> tuple[int, dict]:
    from app.extensions import db
    from app.reporting import models
    from tenants.context import tenant_context

    report_id = _report(factories, tenant)
    with tenant_context(tenant.id):
        report = db.session.get(models.Report, report_id)
        score = models.ReportScore(report_id=report_id, criterion_id=report.version.criteria[0].id, self_points=7)
        db.session.add(score)
        db.session.commit()
        return score.id, {"report_id": report_id}


def _report_attachment(factories, tenant) -> int:
    """A real stored file (the download route serves it to A's staff)."""
    from app.extensions import db
    from app.reporting import attachments, models
    from tenants.context import tenant_context

    report_id = _report(factories, tenant)
    with tenant_context(tenant.id):
        report = db.session.get(models.Report, report_id)
        return attachments.store(report, "bao-cao.pdf", b"%PDF-1.4\n%%EOF\n").id


MATRIX: list[Entry] = [
    Entry("page", _page, (
        Route("/manage/{slug}/pages/{id}"),
        Route("/manage/{slug}/pages/{id}/publish", "POST", {"published": "0"}),
        Route("/api/v1/pages/{id}", public=True),
    )),
    Entry("api_token", _api_token, (
        Route("/manage/{slug}/api-tokens/{id}/revoke", "POST", {"confirm": "y"}),
    )),
    Entry("webhook", _webhook, (
        Route("/manage/{slug}/webhooks/{id}/delete", "POST", {"confirm": "y"}),
    )),
    Entry("news_category", _category, (
        Route("/chuyen-muc/{id}/", public=True),
        Route("/manage/{slug}/registries/categories/{id}"),
        Route("/manage/{slug}/registries/categories/{id}", "POST", {"name_vi": "Đã sửa", "position": "1"}),
        Route("/manage/{slug}/registries/categories/{id}/delete"),
    )),
    Entry("news_article", _article, (Route("/tin/{id}/", public=True), Route("/api/v1/articles/{id}", public=True))),
    Entry("news_tag", _tag, (Route("/the/{id}/", public=True),)),
    Entry("news_article_tag", _tagged, (Route("/the/{tag_id}/", public=True),)),
    # The public site has no id in a member's URL: its slug is fixed by _member (the pattern ignores {id}).
    Entry("member_organization", _member, (
        Route("/to-chuc-thanh-vien/hoi-rieng-cua-a", public=True),
        Route("/manage/{slug}/registries/members/{id}"),
        Route("/manage/{slug}/registries/members/{id}", "POST",
              {"name_vi": "Đã sửa", "slug": "hoi-rieng-cua-a", "kind": "association", "position": "0"}),
        Route("/manage/{slug}/registries/members/{id}/delete", "POST", {}),
    )),
    Entry("partner_locality", _partner, (
        Route("/doi-tac/{id}", public=True),
        Route("/manage/{slug}/registries/partners/{id}"),
        Route("/manage/{slug}/registries/partners/{id}", "POST",
              {"name_vi": "Đã sửa", "country_code": "LA", "level": "province", "position": "0"}),
    )),
    Entry("partner_agreement", _agreement, (
        Route("/doi-tac/thoa-thuan/{id}", public=True),
        Route("/manage/{slug}/registries/agreements/{id}"),
        Route("/manage/{slug}/registries/agreements/{id}/delete", "POST", {}),
    )),
    Entry("document", _document, (
        Route("/van-ban/{id}", public=True),
        Route("/api/v1/documents/{id}", public=True),
        Route("/van-ban/{id}/tai-ve", public=True),
        Route("/manage/{slug}/registries/documents/{id}"),
        Route("/manage/{slug}/registries/documents/{id}", "POST",
              {"number": "1/KH", "doc_type": "plan", "issuer": "UBND tỉnh", "title": "Đã sửa"}),
        Route("/manage/{slug}/registries/documents/{id}/delete"),
    )),
    # Visitor statistics: no route shows or edits a single row (the widget and /thong-ke show totals), so
    # these are model-only entries; tests/stats/test_isolation.py checks their scoping and RLS instead.
    Entry("visit_daily", _visit_daily, ()),
    Entry("visit_visitor", _visit_visitor, ()),
    Entry("aid_project", _aid_project, (
        Route("/manage/{slug}/aid/{id}"),
        Route("/vien-tro/{id}", public=True),
        Route("/manage/{slug}/aid/{id}/edit"),
        Route("/manage/{slug}/aid/{id}/edit", "POST", {"title_vi": "Đã sửa", "sector_code": "11220",
                                                      "status": "completed"}),
        Route("/manage/{slug}/aid/{id}/transactions/new"),
        Route("/manage/{slug}/aid/{id}/transactions/new", "POST", {
            "kind": "commitment", "date": "2023-02-01", "currency": "VND", "amount": "2.000.000"}),
        Route("/manage/{slug}/aid/{id}/delete"),
        Route("/manage/{slug}/aid/{id}/delete", "POST"),
    )),
    Entry("aid_transaction", _aid_transaction, (
        Route("/manage/{slug}/aid/transactions/{id}"),
        Route("/manage/{slug}/aid/transactions/{id}/edit"),
        Route("/manage/{slug}/aid/transactions/{id}/edit", "POST", {
            "kind": "disbursement", "date": "2023-02-01", "currency": "VND", "amount": "2.000.000"}),
        Route("/manage/{slug}/aid/transactions/{id}/delete"),
        Route("/manage/{slug}/aid/transactions/{id}/delete", "POST"),
    )),
    Entry("aid_import", _aid_import, (
        Route("/manage/{slug}/aid/import/{id}"),
        Route("/manage/{slug}/aid/import/{id}/confirm", "POST"),
    )),
    Entry("donor_proposal", _donor_proposal, (
        Route("/manage/{slug}/aid/donors/{id}"),
    )),
    Entry("media_item", _media, (
        Route("/manage/{slug}/media/{id}"),
        Route("/manage/{slug}/media/{id}", "POST", {"alt_text": "Mô tả đã sửa", "title": "Tiêu đề đã sửa"}),
        Route("/manage/{slug}/media/{id}/delete"),
        Route("/media/{id}/{name}", public=True),
    )),
    Entry("invitation", _invitation, (
        Route("/manage/{slug}/people/invitations/{id}/revoke", "POST", {}),
    )),
    Entry("notification", _notification, (
        Route("/manage/{slug}/notifications/{id}/read", "POST"),
    )),
    Entry("outbox_message", _outbox_message, (
        Route("/manage/{slug}/notifications/outbox/{id}"),
        Route("/manage/{slug}/notifications/outbox/{id}/retry", "POST"),
    )),
    Entry("news_subscriber", _subscriber, (
        Route("/manage/{slug}/notifications/subscribers/{id}/remove", "POST", {"confirm": "1"}),
    )),
    # The watermark has no route (the beat task reads it); tests/notifications check its scoping instead.
    Entry("newsletter_watermark", _newsletter_watermark, ()),
    # Decided only in the national console (/national/domains/<slug>/<id>/…), which names the tenant itself;
    # a union's console lists its own requests and has no per-request route.
    Entry("domain_request", _domain_request, ()),
    # The console nominates by article id (A's article under B's slug: 404, nothing created); decisions are
    # national (/national/nominations/<slug>/<id>/…), which names the tenant itself.
    Entry("news_nomination", _nomination, (
        Route("/manage/{slug}/nominations/{article_id}", "POST", {}),
    )),
]


# --- editorial console (news and pages): every view that takes an article, page or revision id --------------

def _article_in_review(factories, tenant) -> int:
    return factories["make_article"](tenant, "Trang riêng của A", status="in_review").id


def _article_draft(factories, tenant) -> int:
    return factories["make_article"](tenant, "Trang riêng của A", status="draft").id


def _article_with_revisions(factories, tenant) -> int:
    return factories["make_article_revisions"](tenant, "Trang riêng của A")[0]


def _article_revision(factories, tenant) -> tuple[int, dict]:
    article_id, revision_ids = factories["make_article_revisions"](tenant, "Trang riêng của A")
    return revision_ids[0], {"article_id": article_id}


def _page_first_of_two(factories, tenant) -> int:
    first_id = factories["make_page"](tenant, "Trang riêng của A", slug="trang-rieng-a").id
    factories["make_page"](tenant, "Trang thứ hai của A", slug="trang-thu-hai-a")
    return first_id


def _page_with_revisions(factories, tenant) -> int:
    return factories["make_page_revisions"](tenant, "Trang riêng của A", slug="trang-rieng-a")[0]


def _page_revision(factories, tenant) -> tuple[int, dict]:
    page_id, revision_ids = factories["make_page_revisions"](tenant, "Trang riêng của A", slug="trang-rieng-a")
    return revision_ids[0], {"page_id": page_id}


_PAGE_FORM = {"title": "Tên mới", "slug": "", "parent_id": "0", "body_html": "<p>Nội dung mới.</p>",
              "published": "y"}

MATRIX += [
    Entry("news_article", _article, (
        Route("/manage/{slug}/news/{id}"),
        Route("/manage/{slug}/news/{id}/revisions"),
        Route("/manage/{slug}/news/{id}/delete"),
        Route("/manage/{slug}/news/{id}/unpublish", "POST"),
        Route("/manage/{slug}/news/{id}/archive", "POST"),
        Route("/manage/{slug}/news/{id}/delete", "POST"),
    )),
    Entry("news_article", _article_in_review, (
        Route("/manage/{slug}/news/{id}/approve", "POST", {"approve-publish_at": ""}),
        Route("/manage/{slug}/news/{id}/return", "POST", {"return-comment": "Sửa lại phần mở đầu."}),
    )),
    Entry("news_article", _article_draft, (Route("/manage/{slug}/news/{id}/submit", "POST"),)),
    Entry("news_article", _article_with_revisions, (Route("/manage/{slug}/news/{id}/revisions/1/restore", "POST"),)),
    Entry("news_article_revision", _article_revision, (
        Route("/manage/{slug}/news/{article_id}/revisions/diff?from=1&to=2"),
        Route("/manage/{slug}/news/{article_id}/revisions"),
    )),
    Entry("page", _page, (
        Route("/manage/{slug}/pages/{id}/edit"),
        Route("/manage/{slug}/pages/{id}/edit", "POST", _PAGE_FORM),
        Route("/manage/{slug}/pages/{id}/revisions"),
        Route("/manage/{slug}/pages/{id}/delete"),
        Route("/manage/{slug}/pages/{id}/delete", "POST"),
        Route("/manage/{slug}/pages/{id}/menu", "POST", {"show": "0"}),
    )),
    Entry("page", _page_first_of_two, (Route("/manage/{slug}/pages/{id}/down", "POST"),)),
    Entry("page", _page_with_revisions, (Route("/manage/{slug}/pages/{id}/revisions/1/restore", "POST"),)),
    Entry("page_revision", _page_revision, (
        Route("/manage/{slug}/pages/{page_id}/revisions/diff?from=1&to=2"),
    )),
]

# Reporting (issue 5): the union's report in the console (/manage/<slug>/reports/…). Opening a period names the
# period, which is national (no tenant row); tests/reporting/test_console*.py cover the rest of the rules.
MATRIX += [
    Entry("report", _report, (
        Route("/manage/{slug}/reports/{id}"),
        Route("/manage/{slug}/reports/{id}/history"),
        Route("/manage/{slug}/reports/{id}/submit"),
        Route("/manage/{slug}/reports/{id}/submit", "POST"),
    )),
    Entry("report", _report_submitted, (
        Route("/manage/{slug}/reports/{id}/unlock"),
        Route("/manage/{slug}/reports/{id}/unlock", "POST", {"reason": "Sai số liệu giải ngân"}),
    )),
    Entry("report_value", _report_child("ReportValue"), (
        Route("/manage/{slug}/reports/{report_id}", "POST", {"figure:aid_vnd": "7"}),
        Route("/manage/{slug}/reports/{report_id}/autosave", "POST", {"figure:aid_vnd": "8"}),
    )),
    Entry("report_narrative", _report_child("ReportNarrative"), (
        Route("/manage/{slug}/reports/{report_id}"),
        Route("/manage/{slug}/reports/{report_id}", "POST", {"section:results": "<p>Đã sửa</p>"}),
    )),
    Entry("report_event", _report_child("ReportEvent"), (Route("/manage/{slug}/reports/{report_id}/history"),)),
    Entry("report_score", _report_score, (
        Route("/manage/{slug}/reports/{report_id}", "POST", {"points:c1": "8"}),
    )),
    Entry("report_attachment", _report_attachment, (
        Route("/manage/{slug}/reports/attachments/{id}"),
        Route("/manage/{slug}/reports/attachments/{id}/delete"),
        Route("/manage/{slug}/reports/attachments/{id}/delete", "POST"),
    )),
]


# The cluster review (/manage/<leader or deputy>/cluster/reports/…) reaches other unions' reports by design and never
# the union's own (its report is reviewed by the deputy or the national union), so it cannot take the matrix's
# control (A's staff reach A's rows under A's slug): tests/reporting/test_review_views.py
# (test_no_cluster_route_reaches_a_report_the_union_does_not_review) checks it from every other union's staff.


# Photo albums (issue 16): the console (/manage/<slug>/albums/…) and the gallery on the union's host (/album/…).
def _album(factories, tenant) -> int:
    return factories["make_album"](tenant, "Trang riêng của A")[0]


def _album_photo(factories, tenant) -> tuple[int, dict]:
    album_id, photo_ids = factories["make_album"](tenant, "Trang riêng của A", photos=2)
    return photo_ids[0], {"album_id": album_id}


MATRIX += [
    Entry("photo_album", _album, (
        Route("/manage/{slug}/albums/{id}"),
        Route("/manage/{slug}/albums/{id}", "POST", {"title": "Album đã sửa", "description": "", "taken_on": ""}),
        Route("/manage/{slug}/albums/{id}/photos"),
        Route("/manage/{slug}/albums/{id}/delete"),
        Route("/manage/{slug}/albums/{id}/delete", "POST"),
        Route("/album/{id}-x", public=True),
    )),
    Entry("photo_album_item", _album_photo, (
        Route("/manage/{slug}/albums/{album_id}/photos/{id}/caption", "POST", {"caption": "Chú thích đã sửa"}),
        Route("/manage/{slug}/albums/{album_id}/photos/{id}/down", "POST"),
        Route("/manage/{slug}/albums/{album_id}/photos/{id}/remove", "POST"),
        Route("/album/{album_id}-x", public=True),
    )),
]


# Menus and themes (issue 16, models only so far): no route reads or writes them yet, so the matrix has no URL to
# ask; RLS covers the tables (tests/tenants/test_rls.py). The console editor and the public rendering that come next
# must add their routes here the day they are built.
def _menu_item(factories, tenant) -> int:
    from app.extensions import db
    from app.site.models import MenuItem
    from tenants.context import tenant_context

    with tenant_context(tenant.id):  # the middle one of three, so that both up and down move it
        items = [MenuItem(label="Trang riêng của A", kind="url", target="https://example.org/", locale="vi",
                          position=position) for position in range(3)]
        db.session.add_all(items)
        db.session.commit()
        return items[1].id


# The theme has no routes in the matrix, and cannot have any: it is one row per union, read and written only as "the
# current tenant's" (the console's /manage/<slug>/theme/ by its slug, the public /theme.css by the host), never by an
# id in a URL, so there is no A-id for B to ask for; asking /theme.css on B's host is simply B's theme. What could
# leak instead is tested in tests/site/test_theme.py: B's save never changes A's row, A's /theme.css and home page
# never show B's colour or blocks, and B's console cannot set one of A's media items as logo or banner ("not found").
def _site_theme(factories, tenant) -> int:
    from app.extensions import db
    from app.site.models import SiteTheme
    from tenants.context import tenant_context

    with tenant_context(tenant.id):
        theme = SiteTheme(accent="#1d4f91", footer_blocks=[])
        db.session.add(theme)
        db.session.commit()
        return theme.id


MATRIX += [Entry("menu_item", _menu_item, (
    Route("/manage/{slug}/menu/{id}/edit"),
    Route("/manage/{slug}/menu/{id}/edit", "POST", {"label": "Đã sửa", "kind": "section", "target": "section:news",
                                                    "parent_id": "0"}),
    Route("/manage/{slug}/menu/{id}/delete"),
    Route("/manage/{slug}/menu/{id}/delete", "POST", {}),
    Route("/manage/{slug}/menu/{id}/up", "POST", {}),
    Route("/manage/{slug}/menu/{id}/down", "POST", {}),
)), Entry("site_theme", _site_theme, ())]


# Events calendar (issue 17): the console (/manage/<slug>/events/…) and the calendar on the union's host (/su-kien/…).
def _event(factories, tenant) -> int:
    return factories["make_event"](tenant, "Trang riêng của A")


def _event_article(factories, tenant) -> tuple[int, dict]:
    import sqlalchemy as sa

    from app.events.models import EventArticle
    from app.extensions import db
    from tenants.context import tenant_context

    article = factories["make_article"](tenant, "Bài của A")
    event_id = factories["make_event"](tenant, "Trang riêng của A", articles=[article])
    with tenant_context(tenant.id):
        link_id = db.session.scalar(sa.select(EventArticle.id).where(EventArticle.event_id == event_id))
    return link_id, {"event_id": event_id}


_EVENT_EDIT = {"title": "Sự kiện đã sửa", "kind": "festival", "starts_on": "2026-12-20", "start_time": "08:00",
               "ends_on": "", "end_time": "", "place": "", "partners": "", "description": ""}

MATRIX += [
    Entry("event", _event, (
        Route("/manage/{slug}/events/{id}"),
        Route("/manage/{slug}/events/{id}", "POST", _EVENT_EDIT),
        Route("/manage/{slug}/events/{id}/delete"),
        Route("/manage/{slug}/events/{id}/delete", "POST"),
        Route("/su-kien/{id}", public=True),
        Route("/su-kien/{id}.ics", public=True),
    )),
    Entry("event_article", _event_article, (
        Route("/manage/{slug}/events/{event_id}", "POST", _EVENT_EDIT),  # saved without it: the link goes
        Route("/su-kien/{event_id}", public=True),
    )),
]


def _member_part(model_name: str):
    """A term or a chapter of a member organisation of A; its URLs name the member ({member_id})."""

    def make(factories, tenant) -> tuple[int, dict]:
        from app.extensions import db
        from app.members import models
        from tenants.context import tenant_context

        member = factories["make_member"](tenant, "Hội của A", slug="hoi-co-lich-su-cua-a")
        with tenant_context(tenant.id):
            if model_name == "term":
                row = models.MemberTerm(member_id=member.id, congress_number=4, term_start=2018, term_end=2023,
                                        leaders="Chủ tịch: Trang riêng của A")
            else:
                row = models.MemberChapter(member_id=member.id, name="Trang riêng của A", published=True)
            db.session.add(row)
            db.session.commit()
            return row.id, {"member_id": member.id}

    return make


MATRIX += [
    Entry("member_term", _member_part("term"), (
        Route("/manage/{slug}/registries/members/{member_id}/terms/{id}"),
        Route("/manage/{slug}/registries/members/{member_id}/terms/{id}", "POST",
              {"congress_number": "4", "term_start": "2018", "term_end": "2023", "leaders": "Chủ tịch: Đã sửa"}),
        Route("/manage/{slug}/registries/members/{member_id}/terms/{id}/delete"),
        Route("/manage/{slug}/registries/members/{member_id}/terms/{id}/delete", "POST"),
        Route("/to-chuc-thanh-vien/hoi-co-lich-su-cua-a", public=True),
    )),
    Entry("member_chapter", _member_part("chapter"), (
        Route("/manage/{slug}/registries/members/{member_id}/chapters/{id}"),
        Route("/manage/{slug}/registries/members/{member_id}/chapters/{id}", "POST",
              {"name": "Chi hội đã sửa", "published": "y"}),
        Route("/manage/{slug}/registries/members/{member_id}/chapters/{id}/delete"),
        Route("/manage/{slug}/registries/members/{member_id}/chapters/{id}/delete", "POST"),
        Route("/to-chuc-thanh-vien/hoi-co-lich-su-cua-a", public=True),
    )),
]
