"""The events calendar in the console (/manage/<slug>/events/…): list, create, edit, delete."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.accounts.permissions import can, permission_required
from app.console.routes import bp as console_parent
from app.core.pagination import paginate
from app.core.timeutil import as_utc, utcnow
from app.events import services
from app.events.forms import KIND_LABELS, EventForm
from app.events.models import Event
from app.extensions import db
from app.news.forms import ActionForm

bp = Blueprint("events", __name__, template_folder="templates", url_prefix="/<tenant_slug>/events")
console_parent.register_blueprint(bp)

PER_PAGE = 25


def _form(event: Event | None) -> EventForm:
    form = EventForm()
    form.articles.choices = services.article_choices(event)
    return form


def _fill(form: EventForm, event: Event) -> None:
    """The form as staff see the event: days and times in Viet Nam."""
    first, last = services.days_of(event)
    form.title.data, form.kind.data, form.all_day.data = event.title, event.kind, event.all_day
    form.starts_on.data, form.ends_on.data = first, last if last != first else None
    if not event.all_day:
        form.start_time.data = as_utc(event.starts_at).astimezone(services.VN_TZ).time()
        form.end_time.data = as_utc(event.ends_at).astimezone(services.VN_TZ).time()
        form.ends_on.data = last
    form.place.data, form.partners.data = event.place, event.partners
    form.description.data, form.published.data = event.description_html, event.published
    form.articles.data = [link.article_id for link in event.links]


def _values(form: EventForm) -> dict:
    starts_at, ends_at = form.span()
    return {"title": form.title.data, "kind": form.kind.data, "starts_at": starts_at, "ends_at": ends_at,
            "all_day": bool(form.all_day.data), "place": form.place.data or "", "partners": form.partners.data or "",
            "description_html": form.description.data or "", "published": bool(form.published.data),
            "article_ids": form.articles.data or []}


def _render(form: EventForm, event: Event | None):
    return render_template("events/console/edit.html", form=form, event=event,
                           can_write=can("content.publish")), 400 if form.errors else 200


def _rejected(form: EventForm) -> None:
    form.articles.errors = [*form.articles.errors,
                            _("Choose related articles among the union's own published articles.")]


@bp.route("/")
@permission_required("content.view")
def index():
    page = paginate(services.console_listing(), per_page=PER_PAGE)
    return render_template("events/console/index.html", page=page, now=utcnow(), kinds=KIND_LABELS,
                           can_write=can("content.publish"))


@bp.route("/new", methods=["GET", "POST"])
@permission_required("content.publish")
def new():
    form = _form(None)
    if form.validate_on_submit():
        try:
            event = services.create(**_values(form))
        except services.EventError:
            db.session.rollback()
            _rejected(form)
        else:
            flash(_("The event is saved."), "success")
            return redirect(url_for(".edit", event_id=event.id))
    return _render(form, None)


@bp.route("/<id:event_id>", methods=["GET", "POST"])
@permission_required("content.view")
def edit(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = _form(event)
    if request.method == "GET":
        _fill(form, event)
    elif not can("content.publish"):
        abort(403)
    elif form.validate_on_submit():
        try:
            services.update(event, **_values(form))
        except services.EventError:
            db.session.rollback()
            _rejected(form)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".edit", event_id=event.id))
    return _render(form, event)


@bp.route("/<id:event_id>/delete", methods=["GET", "POST"])
@permission_required("content.publish")
def delete(event_id: int):
    """GET asks for confirmation; POST deletes the event (its related articles stay)."""
    event = db.get_or_404(Event, event_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        title = event.title
        services.delete(event)
        flash(_("The event “%(title)s” was deleted.", title=title), "success")
        return redirect(url_for(".index"))
    return render_template("events/console/delete.html", event=event, form=form)
