"""Public pages: the member organisations directory and the partner localities, on the tenant's host."""

from flask import Blueprint, abort, render_template
from flask_babel import get_locale

from app.core.pagination import paginate
from app.members import services

bp = Blueprint("members", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/members")


@bp.app_context_processor
def _members_helpers():
    return {"country_name": services.country_name, "congress_label": services.congress_label,
            "term_label": services.term_label, "roman": services.roman, "term_title": services.term_title,
            "published_chapters": services.published_chapters, "member_kind_labels": services.MEMBER_KIND_LABELS,
            "locality_level_labels": services.LOCALITY_LEVEL_LABELS,
            "agreement_kind_labels": services.AGREEMENT_KIND_LABELS}


@bp.route("/to-chuc-thanh-vien")
def index():
    page = paginate(services.published_members_query(), per_page=24)
    return render_template("members/index.html", page=page)


@bp.route("/to-chuc-thanh-vien/<slug>")
def detail(slug: str):
    member = services.published_member(slug)
    if member is None:
        abort(404)
    return render_template("members/detail.html", member=member,
                           related_news=services.related_news(member, str(get_locale())))


@bp.route("/doi-tac")
def partners():
    page = paginate(services.published_partners_query(), per_page=20)
    return render_template("members/partners.html", page=page)


@bp.route("/doi-tac/<id:locality_id>")
def partner(locality_id: int):
    locality = services.published_partner(locality_id)
    if locality is None:
        abort(404)
    return render_template("members/partner.html", locality=locality, highlighted=None)


@bp.route("/doi-tac/thoa-thuan/<id:agreement_id>")
def agreement(agreement_id: int):
    """One agreement, shown on its partner's page."""
    found = services.published_agreement(agreement_id)
    if found is None:
        abort(404)
    return render_template("members/partner.html", locality=found.locality, highlighted=found.id)


@bp.route("/doi-tac/thoa-thuan/<id:agreement_id>/tai-ve")
def agreement_download(agreement_id: int):
    """The agreement's signed copy, served with the documents' headers (own tenant, published partner only)."""
    from app.documents.routes import file_response

    found = services.agreement_file(agreement_id)
    if found is None:
        abort(404)
    agreement, path = found
    return file_response(agreement, path)
