"""Donor proposals: a union proposes a donor; a national admin accepts it, merges it into an existing
donor (moving every reference to that donor) or declines it with a reason (the caller commits)."""

import sqlalchemy as sa

from app.aid.models import AidTransaction, Donor, DonorProposal, ProposalStatus, project_donor
from app.aid.services import AidError
from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import all_tenants


def propose(name: str, acronym: str, country: str, website: str, note: str, *, tenant_id: int,
            user_id: int | None) -> DonorProposal:
    """Record a proposal and the provisional donor the union may use on its projects meanwhile."""
    name = name.strip()
    if db.session.scalar(sa.select(sa.func.count(Donor.id)).where(sa.func.lower(Donor.name) == name.lower())):
        raise AidError("Nhà tài trợ này đã có trong danh bạ (hoặc đang chờ duyệt).")
    donor = Donor(name=name, acronym=acronym.strip() or None, country=country.upper(), website=website.strip() or None,
                  status="proposed", proposed_by_tenant_id=tenant_id)
    proposal = DonorProposal(name=name, acronym=donor.acronym, country=donor.country, website=donor.website,
                             note=note.strip(), donor=donor, proposed_by_id=user_id)
    db.session.add_all([donor, proposal])
    return proposal


def pending(actor_id: int | None = None) -> list[DonorProposal]:
    """Every union's pending proposals (an audited cross-tenant read for national admins)."""
    with all_tenants("aid: pending donor proposals", actor_id=actor_id):
        rows = list(db.session.scalars(sa.select(DonorProposal).where(DonorProposal.status == ProposalStatus.PENDING)
                                       .order_by(DonorProposal.created_at, DonorProposal.id)))
        for row in rows:
            _ = row.donor, row.tenant
    return rows


def _decide(proposal: DonorProposal, status: str, user_id: int | None) -> None:
    if proposal.status != ProposalStatus.PENDING:
        raise AidError("Đề xuất này đã được xử lý.")
    proposal.status, proposal.decided_by_id, proposal.decided_at = status, user_id, utcnow()


def accept(proposal: DonorProposal, user_id: int | None) -> Donor:
    """The proposed donor joins the registry, for every union."""
    _decide(proposal, ProposalStatus.ACCEPTED, user_id)
    donor = proposal.donor
    donor.status, donor.proposed_by_tenant_id = "active", None
    return donor


def _references(donor_id: int) -> tuple[int, int]:
    projects = db.session.scalar(sa.select(sa.func.count()).select_from(project_donor)
                                 .where(project_donor.c.donor_id == donor_id))
    transactions = db.session.scalar(sa.select(sa.func.count(AidTransaction.id))
                                     .where(AidTransaction.donor_id == donor_id))
    return projects or 0, transactions or 0


def references(proposal: DonorProposal, actor_id: int | None = None) -> tuple[int, int]:
    """How many project links and transactions name the proposed donor."""
    if proposal.donor_id is None:
        return 0, 0
    with all_tenants("aid: references to a proposed donor", actor_id=actor_id):
        return _references(proposal.donor_id)


def merge(proposal: DonorProposal, target: Donor, user_id: int | None) -> Donor:
    """The proposed donor is the same as `target`: its project links and transactions move there."""
    if target.status != "active":
        raise AidError("Chỉ gộp vào một nhà tài trợ đã có trong danh bạ.")
    _decide(proposal, ProposalStatus.MERGED, user_id)
    old = proposal.donor
    with all_tenants("aid: merge a proposed donor", actor_id=user_id):
        already = sa.select(project_donor.c.project_id).where(project_donor.c.donor_id == target.id)
        db.session.execute(sa.delete(project_donor).where(project_donor.c.donor_id == old.id,
                                                          project_donor.c.project_id.in_(already)))
        db.session.execute(sa.update(project_donor).where(project_donor.c.donor_id == old.id)
                           .values(donor_id=target.id))
        db.session.execute(sa.update(AidTransaction).where(AidTransaction.donor_id == old.id)
                           .values(donor_id=target.id).execution_options(synchronize_session=False))
        proposal.donor = target
        db.session.flush()
        db.session.delete(old)
        db.session.flush()
    db.session.expire_all()
    return target


def decline(proposal: DonorProposal, reason: str, user_id: int | None) -> None:
    """Refuse the proposal: the provisional donor leaves the registry and the union's projects stop naming it."""
    if not reason.strip():
        raise AidError("Hãy ghi lý do từ chối.")
    _decide(proposal, ProposalStatus.DECLINED, user_id)
    proposal.decline_reason = reason.strip()
    old = proposal.donor
    with all_tenants("aid: decline a proposed donor", actor_id=user_id):
        db.session.execute(sa.delete(project_donor).where(project_donor.c.donor_id == old.id))
        db.session.execute(sa.update(AidTransaction).where(AidTransaction.donor_id == old.id)
                           .values(donor_id=None).execution_options(synchronize_session=False))
        proposal.donor = None
        db.session.flush()
        db.session.delete(old)
        db.session.flush()
    db.session.expire_all()
