"""Aid registry views: a union's console list and detail, its public page, the national tables, IATI files."""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.accounts.permissions import permission_required
from app.aid import iati, imports, services
from app.aid.forms import RateForm, RatesImportForm
from app.aid.models import AidProject, AidTransaction, ExchangeRate
from app.console.routes import bp as console_parent
from app.core import audit
from app.core.money import format_full, format_percent, format_words
from app.core.pagination import paginate
from app.extensions import db
from app.national.routes import bp as national_parent
from tenants.scoping import all_tenants

# Nested under the console (/manage/<tenant_slug>/aid/…) and the national console (/national/aid/…), so
# that their sign-in, tenant resolution and platform-host rules apply; the public page is on each tenant host.
console_bp = Blueprint("aid", __name__, template_folder="templates", url_prefix="/<tenant_slug>/aid")
national_bp = Blueprint("aid", __name__, template_folder="templates", url_prefix="/aid")
public_bp = Blueprint("aid_site", __name__, template_folder="templates", url_prefix="/vien-tro")
console_parent.register_blueprint(console_bp)  # once per process, at import, before any app registers them
national_parent.register_blueprint(national_bp)


# --- template helpers --------------------------------------------------------------------------

@public_bp.app_template_filter("money_words")
def _money_words(money) -> str:
    return format_words(money, str(get_locale()))


@public_bp.app_template_filter("money_full")
def _money_full(money) -> str:
    return format_full(money, str(get_locale()))


@public_bp.app_template_filter("percent")
def _percent(value) -> str:
    return format_percent(value, str(get_locale()))


@public_bp.app_template_filter("date_vn")
def _date_vn(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@public_bp.app_context_processor
def _aid_context():
    return {"sector_name": lambda code: services.sector_name(code, str(get_locale())),
            "aid_status_label": status_label, "aid_kind_label": kind_label,
            "proposal_status_label": proposal_status_label}


def status_label(status: str) -> str:
    return {"pipeline": _("in preparation"), "implementation": _("under way"),
            "completed": _("completed")}.get(status, status)


def proposal_status_label(status: str) -> str:
    return {"pending": _("waiting for review"), "accepted": _("accepted"), "merged": _("merged into an existing donor"),
            "declined": _("declined")}.get(status, status)


def kind_label(kind: str) -> str:
    return {"commitment": _("commitment"), "disbursement": _("disbursement")}.get(kind, kind)


# --- shared ------------------------------------------------------------------------------------

def _years(national: bool = False) -> list[int]:
    stmt = sa.select(sa.extract("year", AidTransaction.date)).distinct()
    if national:
        with all_tenants("aid: years with transactions", actor_id=current_user.id):
            values = db.session.scalars(stmt).all()
    else:
        values = db.session.scalars(stmt).all()
    return sorted((int(v) for v in values), reverse=True)


def _selected_year(years: list[int]) -> int | None:
    """?year=2023, ?year=all, or by default the latest year that has transactions (bad input: the default)."""
    raw = request.args.get("year", "")
    if raw == "all":
        return None
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else None


def _window(year: int | None) -> tuple[date | None, date | None]:
    return services.year_window(year) if year else (None, None)


def _projects_stmt(year: int | None, public_only: bool = False):
    stmt = sa.select(AidProject).options(selectinload(AidProject.donors)).order_by(AidProject.id)
    if year:
        start, end = services.year_window(year)
        stmt = stmt.where(AidProject.id.in_(sa.select(AidTransaction.project_id).where(
            AidTransaction.date >= start, AidTransaction.date <= end)))
    return stmt.where(AidProject.public.is_(True)) if public_only else stmt


def _listing(template: str, public_only: bool, **extra):
    years = _years()
    year = _selected_year(years)
    start, end = _window(year)
    growth = services.union_growth(year)[2] if year and not public_only else None
    return render_template(template, page=paginate(_projects_stmt(year, public_only)), years=years, year=year,
                           per_project=services.project_totals(start, end), growth=growth,
                           totals=services.union_totals(start, end, public_only=public_only), **extra)


def _xml(document: bytes, filename: str) -> Response:
    return Response(document, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- the union's console -----------------------------------------------------------------------

@console_bp.route("/")
@permission_required("aid.view")
def index():
    return _listing("aid/console_list.html", public_only=False)


@console_bp.route("/<id:project_id>")
@permission_required("aid.view")
def project(project_id: int):
    item = db.get_or_404(AidProject, project_id)
    totals = services.project_totals().get(item.id, services.Totals())
    return render_template("aid/console_detail.html", project=item, totals=totals)


@console_bp.route("/transactions/<id:transaction_id>")
@permission_required("aid.view")
def transaction(transaction_id: int):
    return render_template("aid/console_transaction.html", tx=db.get_or_404(AidTransaction, transaction_id))


@console_bp.route("/iati.xml")
@permission_required("aid.view")
def iati_union():
    if not db.session.scalar(sa.select(sa.func.count(AidProject.id)).where(AidProject.public.is_(True))):
        flash(_("There is no public project to export yet."), "error")
        return redirect(url_for("console.aid.index"))
    return _xml(iati.union_activities(g.tenant), f"iati-{g.tenant.slug}.xml")


# --- the public site ---------------------------------------------------------------------------

@public_bp.route("/")
def public_index():
    return _listing("aid/public_list.html", public_only=True)


@public_bp.route("/<id:project_id>")
def public_project(project_id: int):
    item = db.session.scalars(sa.select(AidProject).where(AidProject.id == project_id,
                                                          AidProject.public.is_(True))).first()
    if item is None:
        abort(404)
    totals = services.project_totals().get(item.id, services.Totals())
    return render_template("aid/public_detail.html", project=item, totals=totals)


# --- the national console ----------------------------------------------------------------------

@national_bp.route("/")
@permission_required("national.view")
def national_index():
    by = request.args.get("by", "union")
    if by not in services.NATIONAL_DIMENSIONS:
        by = "union"
    years = _years(national=True)
    year = None if by == "year" else _selected_year(years)
    start, end = _window(year)
    rows = services.national_totals(by, start, end, actor_id=current_user.id)
    grand = services.Totals()
    for _label, totals in rows:
        for name in ("committed_vnd", "disbursed_vnd", "committed_usd", "disbursed_usd"):
            setattr(grand, name, getattr(grand, name) + getattr(totals, name))
    from app.aid.national_routes import national_chart
    from app.aid.proposals import pending

    labels = {"union": _("By union"), "donor": _("By donor"), "sector": _("By sector"), "year": _("By year")}
    title = labels[by] + (f" ({year})" if year else "")
    return render_template("aid/national.html", rows=rows, grand=grand, by=by, years=years, year=year,
                           dimensions=services.NATIONAL_DIMENSIONS, labels=labels,
                           chart=national_chart(by, rows, title), pending=pending(current_user.id))


@national_bp.route("/iati.xml")
@permission_required("national.view")
def iati_national():
    document = iati.national_activities(actor_id=current_user.id)
    if b"<iati-activity " not in document:
        flash(_("There is no public project to export yet."), "error")
        return redirect(url_for("national.aid.national_index"))
    return _xml(document, "iati-vietnam-unions.xml")


# --- exchange rates (national) -----------------------------------------------------------------

def _rates_page(form=None, import_form=None, errors=None, status=200):
    stmt = sa.select(ExchangeRate).order_by(ExchangeRate.valid_on.desc(), ExchangeRate.currency)
    return render_template("aid/rates.html", page=paginate(stmt, per_page=50), form=form or RateForm(),
                           import_form=import_form or RatesImportForm(), errors=errors or []), status


@national_bp.route("/rates")
@permission_required("national.view")
def rates():
    return _rates_page()


@national_bp.route("/rates", methods=["POST"])
@permission_required("national.manage")
def rate_save():
    form = RateForm()
    if not form.validate_on_submit():
        return _rates_page(form=form, status=400)
    rate = services.set_rate(form.currency.data, form.valid_on.data, form.vnd_per_unit.data.strip(),
                             form.source.data or "")
    audit.record("aid.rate", target=f"rate:{rate.currency}:{rate.valid_on.isoformat()}",
                 detail=str(rate.vnd_per_unit))
    db.session.commit()
    flash(_("The rate is saved. Transactions already recorded keep the rate they were valued at."), "success")
    return redirect(url_for("national.aid.rates"))


@national_bp.route("/rates/import", methods=["POST"])
@permission_required("national.manage")
def rates_import():
    form = RatesImportForm()
    if not form.validate_on_submit():
        return _rates_page(import_form=form, status=400)
    try:
        count = imports.import_rates(form.file.data.read())
    except imports.ImportRejected as rejected:
        db.session.rollback()
        flash(str(rejected), "error")
        return _rates_page(import_form=form, errors=rejected.errors, status=400)
    except services.AidError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _rates_page(import_form=form, status=400)
    audit.record("aid.rates_import", detail=f"{count} rows")
    db.session.commit()
    flash(_("%(count)d rates imported.", count=count), "success")
    return redirect(url_for("national.aid.rates"))


# The writing views, the import, donor proposals and the national charts register on the blueprints above.
from app.aid import console_routes, national_routes  # noqa: E402, F401
