"""A union's console, writing: projects and transactions, the file import, donor proposals (aid.write)."""

import sqlalchemy as sa
from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import permission_required
from app.aid import editing, project_import, proposals, services
from app.aid.forms import ConfirmForm, ImportUploadForm, ProjectForm, ProposalForm, TransactionForm
from app.aid.models import AidImport, AidProject, AidTransaction, DonorProposal
from app.aid.routes import console_bp, kind_label, status_label
from app.core import audit
from app.core.money import parse_amount
from app.core.pagination import paginate
from app.extensions import db

# --- projects ----------------------------------------------------------------------------------


def _project_form(project=None) -> ProjectForm:
    form = ProjectForm(obj=project)
    form.sector_code.choices = [(code, f"{code} – {services.sector_name(code)}") for code in services.sectors()]
    form.status.choices = [(s, status_label(s)) for s in ("pipeline", "implementation", "completed")]
    form.donors.choices = [(d.id, d.label) for d in editing.usable_donors(g.tenant.id)]
    if project is not None and request.method == "GET":
        form.donors.data = [d.id for d in project.donors]
    return form


def _save_project(project, form):
    values = {name: getattr(form, name).data for name in editing.PROJECT_FIELDS}
    values["title_en"] = values["title_en"] or ""
    try:
        saved = editing.save_project(project, values, form.donors.data, g.tenant.id)
        db.session.flush()
    except services.AidError as error:
        db.session.rollback()
        form.title_vi.errors.append(str(error))
        return None
    audit.record("aid.project_saved", target=f"aid_project:{saved.id}")
    db.session.commit()
    flash(_("The project is saved."), "success")
    return redirect(url_for("console.aid.project", project_id=saved.id))


@console_bp.route("/new", methods=["GET", "POST"])
@permission_required("aid.write")
def project_new():
    form = _project_form()
    if form.validate_on_submit() and (done := _save_project(None, form)):
        return done
    return render_template("aid/project_form.html", form=form, project=None), 400 if form.errors else 200


@console_bp.route("/<id:project_id>/edit", methods=["GET", "POST"])
@permission_required("aid.write")
def project_edit(project_id: int):
    project = db.get_or_404(AidProject, project_id)
    form = _project_form(project)
    if form.validate_on_submit() and (done := _save_project(project, form)):
        return done
    return render_template("aid/project_form.html", form=form, project=project), 400 if form.errors else 200


@console_bp.route("/<id:project_id>/delete", methods=["GET", "POST"])
@permission_required("aid.write")
def project_delete(project_id: int):
    project = db.get_or_404(AidProject, project_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        audit.record("aid.project_deleted", target=f"aid_project:{project.id}", detail=project.title_vi[:200])
        editing.delete_project(project)
        db.session.commit()
        flash(_("The project and its transactions are deleted."), "success")
        return redirect(url_for("console.aid.index"))
    return render_template("aid/confirm_delete.html", form=form, what=project.title_vi,
                           detail=_("Its %(count)d transactions are deleted with it.", count=len(project.transactions)),
                           back=url_for("console.aid.project", project_id=project.id))


# --- transactions ------------------------------------------------------------------------------

def _transaction_form(tx=None) -> TransactionForm:
    form = TransactionForm(obj=tx)
    form.kind.choices = [(k, kind_label(k)) for k in ("commitment", "disbursement")]
    form.donor_id.choices = [(None, "—")] + [(d.id, d.label) for d in editing.usable_donors(g.tenant.id)]
    if tx is not None and request.method == "GET":
        form.amount.data = str(tx.money.amount).replace(".", ",")
    return form


def _save_transaction(tx, project, form):
    try:
        money = parse_amount(form.amount.data, form.currency.data)
        saved = editing.save_transaction(tx, project, form.kind.data, form.date.data, money, form.donor_id.data,
                                         form.note.data or "", g.tenant.id)
        db.session.flush()
    except services.AidError as error:
        db.session.rollback()
        form.date.errors.append(str(error))
        return None
    audit.record("aid.transaction_saved", target=f"aid_transaction:{saved.id}")
    db.session.commit()
    flash(_("The transaction is saved, valued at the rates of its date."), "success")
    return redirect(url_for("console.aid.project", project_id=project.id))


@console_bp.route("/<id:project_id>/transactions/new", methods=["GET", "POST"])
@permission_required("aid.write")
def transaction_new(project_id: int):
    project = db.get_or_404(AidProject, project_id)
    form = _transaction_form()
    if form.validate_on_submit() and (done := _save_transaction(None, project, form)):
        return done
    return render_template("aid/transaction_form.html", form=form, project=project, tx=None), \
        400 if form.errors else 200


@console_bp.route("/transactions/<id:transaction_id>/edit", methods=["GET", "POST"])
@permission_required("aid.write")
def transaction_edit(transaction_id: int):
    tx = db.get_or_404(AidTransaction, transaction_id)
    form = _transaction_form(tx)
    if form.validate_on_submit() and (done := _save_transaction(tx, tx.project, form)):
        return done
    return render_template("aid/transaction_form.html", form=form, project=tx.project, tx=tx), \
        400 if form.errors else 200


@console_bp.route("/transactions/<id:transaction_id>/delete", methods=["GET", "POST"])
@permission_required("aid.write")
def transaction_delete(transaction_id: int):
    tx = db.get_or_404(AidTransaction, transaction_id)
    project_id, form = tx.project_id, ConfirmForm()
    if form.validate_on_submit():
        audit.record("aid.transaction_deleted", target=f"aid_transaction:{tx.id}")
        db.session.delete(tx)
        db.session.commit()
        flash(_("The transaction is deleted."), "success")
        return redirect(url_for("console.aid.project", project_id=project_id))
    what = f"{kind_label(tx.kind)} {tx.date:%d/%m/%Y}"
    return render_template("aid/confirm_delete.html", form=form, what=what, detail="",
                           back=url_for("console.aid.project", project_id=project_id))


# --- import ------------------------------------------------------------------------------------

@console_bp.route("/import/", methods=["GET", "POST"])
@permission_required("aid.write")
def import_upload():
    form, errors = ImportUploadForm(), []
    if form.validate_on_submit():
        data = form.file.data.stream.read(project_import.MAX_BYTES + 1)
        try:
            staged, parsed = project_import.stage(data, form.file.data.filename or "", current_user.id)
        except services.AidError as error:
            db.session.rollback()
            form.file.errors.append(str(error))
        else:
            if not parsed.errors:
                db.session.commit()
                return redirect(url_for("console.aid.import_preview", import_id=staged.id))
            db.session.rollback()
            errors = parsed.errors
    status = 400 if form.errors or errors else 200
    return render_template("aid/import_upload.html", form=form, errors=errors, max_rows=project_import.MAX_ROWS,
                           max_mb=project_import.MAX_BYTES // (1024 * 1024)), status


@console_bp.route("/import/template.<any(csv, xlsx):kind>")
@permission_required("aid.view")
def import_template(kind: str):
    if kind == "csv":
        return Response(project_import.template_csv(), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="mau-nhap-vien-tro.csv"'})
    return Response(project_import.template_xlsx(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="mau-nhap-vien-tro.xlsx"'})


@console_bp.route("/import/<id:import_id>")
@permission_required("aid.write")
def import_preview(import_id: int):
    staged = db.get_or_404(AidImport, import_id)
    parsed = project_import.parse(staged.data, staged.kind) if staged.status == "staged" else None
    return render_template("aid/import_preview.html", staged=staged, parsed=parsed, form=ConfirmForm())


@console_bp.route("/import/<id:import_id>/confirm", methods=["POST"])
@permission_required("aid.write")
def import_confirm(import_id: int):
    staged = db.get_or_404(AidImport, import_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        created = project_import.confirm(staged)
    except project_import.AlreadyImported as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("console.aid.import_preview", import_id=import_id))
    except project_import.ImportRejected as rejected:
        db.session.rollback()
        return render_template("aid/import_upload.html", form=ImportUploadForm(), errors=rejected.errors,
                               max_rows=project_import.MAX_ROWS,
                               max_mb=project_import.MAX_BYTES // (1024 * 1024)), 400
    audit.record("aid.import", target=f"aid_import:{import_id}", detail=f"{len(created)} projects")
    db.session.commit()
    flash(_("%(count)d projects imported with their transactions.", count=len(created)), "success")
    return redirect(url_for("console.aid.index", year="all"))


# --- donor proposals ---------------------------------------------------------------------------

def _proposals_page(form, status=200):
    stmt = sa.select(DonorProposal).order_by(DonorProposal.created_at.desc(), DonorProposal.id.desc())
    return render_template("aid/proposals.html", page=paginate(stmt), form=form), status


@console_bp.route("/donors/")
@permission_required("aid.view")
def proposals_index():
    return _proposals_page(ProposalForm())


@console_bp.route("/donors/", methods=["POST"])
@permission_required("aid.write")
def proposal_create():
    form = ProposalForm()
    if not form.validate_on_submit():
        return _proposals_page(form, 400)
    try:
        proposal = proposals.propose(form.name.data, form.acronym.data or "", form.country.data,
                                     form.website.data or "", form.note.data or "", tenant_id=g.tenant.id,
                                     user_id=current_user.id)
        db.session.flush()
    except services.AidError as error:
        db.session.rollback()
        form.name.errors.append(str(error))
        return _proposals_page(form, 400)
    audit.record("aid.donor_proposed", target=f"donor_proposal:{proposal.id}", detail=proposal.name)
    db.session.commit()
    flash(_("The donor is proposed. You can already name it on your projects; the national union will review it."),
          "success")
    return redirect(url_for("console.aid.proposal_detail", proposal_id=proposal.id))


@console_bp.route("/donors/<id:proposal_id>")
@permission_required("aid.view")
def proposal_detail(proposal_id: int):
    return render_template("aid/proposal.html", proposal=db.get_or_404(DonorProposal, proposal_id))
