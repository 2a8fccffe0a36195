"""A union's own projects and transactions: create, change, delete (the caller commits)."""

from datetime import date

import sqlalchemy as sa

from app.aid import services
from app.aid.models import AidProject, AidTransaction, Donor
from app.core.money import Money
from app.extensions import db
from tenants.models import utcnow

PROJECT_FIELDS = ("title_vi", "title_en", "sector_code", "status", "district", "commune", "start_date", "end_date",
                  "beneficiaries", "description", "public")


def usable_donors(tenant_id: int) -> list[Donor]:
    """The registry's donors and the ones this union proposed and are still waiting for a decision."""
    return list(db.session.scalars(sa.select(Donor).where(Donor.usable_by(tenant_id)).order_by(Donor.name)))


def _donors(ids, tenant_id: int) -> list[Donor]:
    ids = [i for i in ids or () if i]
    donors = list(db.session.scalars(sa.select(Donor).where(Donor.id.in_(ids), Donor.usable_by(tenant_id))))
    if len(donors) != len(set(ids)):
        raise services.AidError("Nhà tài trợ không hợp lệ.")
    return donors


def save_project(project: AidProject | None, values: dict, donor_ids, tenant_id: int) -> AidProject:
    """Create (project None) or update a project from form values."""
    if values.get("sector_code") not in services.sectors():
        raise services.AidError("Lĩnh vực không có trong danh mục.")
    if project is None:
        project = AidProject()
        db.session.add(project)
    for name in PROJECT_FIELDS:
        if name in values:
            setattr(project, name, values[name])
    project.title_en = project.title_en or ""
    project.donors = _donors(donor_ids, tenant_id)
    return project


def delete_project(project: AidProject) -> None:
    db.session.delete(project)  # its transactions go with it (cascade)


def save_transaction(tx: AidTransaction | None, project: AidProject, kind: str, day: date, money: Money,
                     donor_id: int | None, note: str, tenant_id: int) -> AidTransaction:
    """Create or change a transaction; its VND and USD values are fixed again at the rates of `day`."""
    donor = _donors([donor_id], tenant_id)[0] if donor_id else None
    if tx is None:
        tx = services.record_transaction(project, kind, day, money, donor=donor, note=note)
    else:
        services.set_transaction_values(tx, kind, day, money)
        tx.donor, tx.note = donor, note
    project.updated_at = utcnow()  # a project's "last changed" covers its transactions
    return tx
