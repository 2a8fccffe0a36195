"""The national console, aid: charts for each grouping, donors by province, and donor proposals."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import permission_required
from app.aid import charts, proposals, services
from app.aid.forms import ConfirmForm, DeclineForm, MergeForm
from app.aid.models import Donor, DonorProposal
from app.aid.routes import _selected_year, _window, _years, national_bp
from app.core import audit
from app.core.money import Money, format_words
from app.extensions import db
from tenants.context import tenant_context
from tenants.scoping import all_tenants


def row_label(by: str, label) -> str:
    locale = str(get_locale())
    if by == "union":
        return label.name(locale)
    if by == "donor":
        return label.label if label else _("Donor not recorded")
    if by == "sector":
        return f"{label} – {services.sector_name(label, locale)}"
    return str(label)


def national_chart(by: str, rows, title: str):
    """Committed and disbursed VND per row of the national table, as SVG."""
    data = [(row_label(by, label), t.committed_vnd.minor, t.disbursed_vnd.minor) for label, t in rows[:20]]
    if by == "year":
        data.sort(key=lambda row: row[0])
    description = _("Bar chart of aid committed and disbursed in VND, %(title)s; the table below gives every "
                    "figure.", title=title.lower())
    locale = str(get_locale())
    return charts.grouped_bars(title, description, data, (_("Committed"), _("Disbursed")),
                               lambda minor: format_words(Money(minor, "VND"), locale), "aid-table")


# --- donors by province ------------------------------------------------------------------------

@national_bp.route("/provinces")
@permission_required("national.view")
def provinces():
    years = _years(national=True)
    year = _selected_year(years)
    matrix = services.donors_by_province(*_window(year), actor_id=current_user.id)
    return render_template("aid/provinces.html", matrix=matrix, years=years, year=year)


# --- donor proposals ---------------------------------------------------------------------------

def _proposal_tenant(proposal_id: int) -> int:
    with all_tenants("aid: find a donor proposal", actor_id=current_user.id):
        tenant_id = db.session.scalar(sa.select(DonorProposal.tenant_id).where(DonorProposal.id == proposal_id))
    if tenant_id is None:
        abort(404)
    return tenant_id


def _merge_form() -> MergeForm:
    form = MergeForm()
    form.target_id.choices = [(d.id, d.label) for d in db.session.scalars(
        sa.select(Donor).where(Donor.status == "active").order_by(Donor.name))]
    return form


def _proposal_page(proposal, merge_form=None, decline_form=None, status=200):
    refs = proposals.references(proposal, actor_id=current_user.id)
    return render_template("aid/national_proposal.html", proposal=proposal, references=refs,
                           merge_form=merge_form or _merge_form(), decline_form=decline_form or DeclineForm(),
                           proposer_name=proposal.tenant.name(str(get_locale()))), status


@national_bp.route("/proposals/<id:proposal_id>")
@permission_required("national.view")
def proposal(proposal_id: int):
    with tenant_context(_proposal_tenant(proposal_id)):
        return _proposal_page(db.get_or_404(DonorProposal, proposal_id))


@national_bp.route("/proposals/<id:proposal_id>/<any(accept, merge, decline):action>", methods=["POST"])
@permission_required("national.manage")
def proposal_decide(proposal_id: int, action: str):
    with tenant_context(_proposal_tenant(proposal_id)):
        item = db.get_or_404(DonorProposal, proposal_id)
        merge_form, decline_form = _merge_form(), DeclineForm()
        form = {"accept": ConfirmForm(), "merge": merge_form, "decline": decline_form}[action]
        if not form.validate_on_submit():
            return _proposal_page(item, merge_form, decline_form, status=400)
        try:
            if action == "accept":
                proposals.accept(item, current_user.id)
                message = _("%(name)s is now in the donor registry.", name=item.name)
            elif action == "merge":
                target = db.get_or_404(Donor, merge_form.target_id.data)
                proposals.merge(item, target, current_user.id)
                message = _("Merged into %(name)s; the union's projects now name that donor.", name=target.label)
            else:
                proposals.decline(item, decline_form.reason.data, current_user.id)
                message = _("The proposal is declined; the union sees the reason.")
        except services.AidError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("national.aid.proposal", proposal_id=proposal_id))
        audit.record(f"aid.donor_proposal_{action}", target=f"donor_proposal:{proposal_id}")
        db.session.commit()
    flash(message, "success")
    return redirect(url_for("national.aid.national_index"))
