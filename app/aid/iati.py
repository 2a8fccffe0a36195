"""IATI 2.03 activity XML: a union's projects, or every union's, as the aid-transparency standard wants them."""

from datetime import UTC, datetime

import sqlalchemy as sa
from lxml import etree
from sqlalchemy.orm import selectinload

from app.aid.models import AidProject, AidTransaction
from app.aid.services import sector_name
from app.extensions import db
from tenants.models import Tenant
from tenants.scoping import all_tenants

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A placeholder registration-agency prefix until the unions have IATI organisation identifiers of their own.
ORG_PREFIX = "VN-LHHN"
ACTIVITY_STATUS = {"pipeline": "1", "implementation": "2", "completed": "3"}
TRANSACTION_TYPE = {"commitment": "2", "disbursement": "3"}  # Outgoing Commitment, Disbursement
ROLE_FUNDING, ROLE_IMPLEMENTING = "1", "4"
NATIONAL_NGO = "22"


def org_ref(tenant: Tenant) -> str:
    return f"{ORG_PREFIX}-{tenant.slug.upper()}"


def _narratives(parent, vi: str, en: str = ""):
    etree.SubElement(parent, "narrative").text = vi
    if en and en != vi:
        etree.SubElement(parent, "narrative", {XML_LANG: "en"}).text = en
    return parent


def _org(parent, tag: str, tenant: Tenant, **attrs):
    element = etree.SubElement(parent, tag, {"ref": org_ref(tenant), "type": NATIONAL_NGO, **attrs})
    return _narratives(element, tenant.name_vi, tenant.name_en)


def _dates(activity, project: AidProject) -> None:
    started = project.status != "pipeline"
    start = project.start_date or (project.transactions[0].date if project.transactions else None) \
        or project.updated_at.date()
    etree.SubElement(activity, "activity-date", {"type": "2" if started else "1", "iso-date": start.isoformat()})
    if project.end_date:
        done = project.status == "completed"
        etree.SubElement(activity, "activity-date",
                         {"type": "4" if done else "3", "iso-date": project.end_date.isoformat()})


def _location(activity, project: AidProject, tenant: Tenant) -> None:
    place = ", ".join(p for p in (project.commune, project.district) if p)
    if place:
        location = etree.SubElement(activity, "location")
        _narratives(etree.SubElement(location, "name"), place)
        etree.SubElement(location, "administrative", {"vocabulary": "G1", "level": "1", "code": "VN"})


def _transaction(activity, tx: AidTransaction, tenant: Tenant) -> None:
    element = etree.SubElement(activity, "transaction", {"ref": f"{org_ref(tenant)}-T{tx.id}"})
    etree.SubElement(element, "transaction-type", {"code": TRANSACTION_TYPE[tx.kind]})
    etree.SubElement(element, "transaction-date", {"iso-date": tx.date.isoformat()})
    value = etree.SubElement(element, "value", {"currency": tx.currency, "value-date": tx.date.isoformat()})
    value.text = str(tx.money.amount)
    if tx.note:
        _narratives(etree.SubElement(element, "description"), tx.note)
    if tx.donor is not None:
        provider = etree.SubElement(element, "provider-org", {"type": tx.donor.org_type})
        _narratives(provider, tx.donor.name)
    _org(element, "receiver-org", tenant)


def activity(project: AidProject, tenant: Tenant) -> etree._Element:
    """One <iati-activity>, its children in the order the 2.03 schema requires."""
    element = etree.Element("iati-activity", {
        "last-updated-datetime": project.updated_at.astimezone(UTC).replace(microsecond=0).isoformat(),
        XML_LANG: "vi", "default-currency": "VND"})
    etree.SubElement(element, "iati-identifier").text = f"{org_ref(tenant)}-{project.id}"
    _org(element, "reporting-org", tenant)
    _narratives(etree.SubElement(element, "title"), project.title_vi, project.title_en)
    _narratives(etree.SubElement(element, "description", {"type": "1"}), project.description or project.title_vi)
    for donor in project.donors:
        _narratives(etree.SubElement(element, "participating-org", {"role": ROLE_FUNDING, "type": donor.org_type}),
                    donor.name)
    _org(element, "participating-org", tenant, role=ROLE_IMPLEMENTING)
    etree.SubElement(element, "activity-status", {"code": ACTIVITY_STATUS[project.status]})
    _dates(element, project)
    etree.SubElement(element, "recipient-country", {"code": "VN", "percentage": "100"})
    _location(element, project, tenant)
    sector = etree.SubElement(element, "sector", {"vocabulary": "1", "code": project.sector_code})
    _narratives(sector, sector_name(project.sector_code, "vi"), sector_name(project.sector_code, "en"))
    for tx in project.transactions:
        _transaction(element, tx, tenant)
    return element


def _document(projects, tenants_by_id: dict[int, Tenant], generated_at: datetime | None = None) -> bytes:
    root = etree.Element("iati-activities", {
        "version": VERSION,
        "generated-datetime": (generated_at or datetime.now(UTC)).replace(microsecond=0).isoformat()})
    for project in projects:
        root.append(activity(project, tenants_by_id[project.tenant_id]))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _projects_stmt(public_only: bool):
    stmt = (sa.select(AidProject).options(selectinload(AidProject.donors),
                                          selectinload(AidProject.transactions).selectinload(AidTransaction.donor))
            .order_by(AidProject.tenant_id, AidProject.id))
    return stmt.where(AidProject.public.is_(True)) if public_only else stmt


def union_activities(tenant: Tenant, *, public_only: bool = True) -> bytes:
    """The current union's projects as an IATI activity file."""
    projects = db.session.scalars(_projects_stmt(public_only)).all()
    return _document(projects, {tenant.id: tenant})


def national_activities(*, public_only: bool = True, actor_id: int | None = None) -> bytes:
    """Every union's projects in one IATI activity file, each reported by its own union."""
    with all_tenants("aid: national IATI export", actor_id=actor_id):
        projects = db.session.scalars(_projects_stmt(public_only)).all()
        tenants = {t.id: t for t in db.session.scalars(sa.select(Tenant))}
        return _document(projects, tenants)
