"""A member organisation's history in the console (/manage/<slug>/registries/members/<id>/terms|chapters/…):
its past terms (nhiệm kỳ) and its chapters (chi hội) — add, edit, delete after confirmation. Listed on the
member's own edit page; the member is looked up in the current tenant first, and the row must be its own."""

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from app.accounts.permissions import permission_required
from app.core import audit
from app.extensions import db
from app.members.models import MemberChapter, MemberOrganization, MemberTerm
from app.members.services import term_title
from app.registries import forms
from app.registries.routes import bp


@dataclass(frozen=True)
class Part:
    key: str  # "terms" | "chapters", in the URL
    model: type
    form: type
    title: str
    fields: tuple[str, ...]
    text_fields: tuple[str, ...]  # stored as "" rather than None when empty

    def name_of(self, row) -> str:
        return term_title(row) if self.model is MemberTerm else row.name


PARTS = {p.key: p for p in (
    Part("terms", MemberTerm, forms.TermForm, _l("Terms"),
         ("congress_number", "congress_on", "term_start", "term_end", "leaders", "member_count", "chapters_count",
          "note"), ("leaders", "note")),
    Part("chapters", MemberChapter, forms.ChapterForm, _l("Chapters"),
         ("name", "leader", "member_count", "founded_on", "published"), ("name",)),
)}


def _lookup(part_key: str, member_id: int, row_id: int | None):
    part = PARTS.get(part_key)
    if part is None:
        abort(404)
    member = db.get_or_404(MemberOrganization, member_id)
    row = None
    if row_id is not None:
        row = db.get_or_404(part.model, row_id)
        if row.member_id != member.id:
            abort(404)
    return part, member, row


def _back(member: MemberOrganization):
    return redirect(url_for("console.registries.edit", kind="members", row_id=member.id))


@bp.route("/members/<id:member_id>/<any(terms, chapters):part_key>/new", methods=["GET", "POST"])
@bp.route("/members/<id:member_id>/<any(terms, chapters):part_key>/<id:row_id>", methods=["GET", "POST"])
@permission_required("content.publish")
def history_edit(member_id: int, part_key: str, row_id: int | None = None):
    part, member, row = _lookup(part_key, member_id, row_id)
    form = part.form(obj=row)
    if form.validate_on_submit():
        creating = row is None
        if creating:
            row = part.model(member_id=member.id)
            db.session.add(row)
        for name in part.fields:
            value = getattr(form, name).data
            if isinstance(value, str):
                value = value.strip() or ("" if name in part.text_fields else None)
            setattr(row, name, value)
        db.session.flush()
        audit.record(f"members.{part.key}.{'create' if creating else 'edit'}",
                     target=f"{part.model.__tablename__}:{row.id}", detail=f"{member.name_vi}: {part.name_of(row)}")
        db.session.commit()
        flash(_("Saved."), "success")
        return _back(member)
    forms.localise_messages(form)
    heading = part.name_of(row) if row is not None and row.id else \
        (_("Add a term") if part.key == "terms" else _("Add a chapter"))
    return render_template("registries/history_edit.html", part=part, member=member, form=form, row=row,
                           heading=heading), \
        400 if form.is_submitted() else 200


@bp.route("/members/<id:member_id>/<any(terms, chapters):part_key>/<id:row_id>/delete", methods=["GET", "POST"])
@permission_required("content.publish")
def history_delete(member_id: int, part_key: str, row_id: int):
    part, member, row = _lookup(part_key, member_id, row_id)
    form = FlaskForm()
    if form.validate_on_submit():
        name = part.name_of(row)
        audit.record(f"members.{part.key}.delete", target=f"{part.model.__tablename__}:{row.id}",
                     detail=f"{member.name_vi}: {name}")
        db.session.delete(row)
        db.session.commit()
        flash(_("“%(name)s” was deleted.", name=name), "success")
        return _back(member)
    return render_template("registries/history_delete.html", part=part, member=member, row=row, form=form), \
        400 if form.is_submitted() else 200
