"""Emulation clusters: who belongs where in a year, and who leads (derived, never stored on users)."""

import sqlalchemy as sa

from app.extensions import db
from tenants.models import Cluster, ClusterLeadership, ClusterMembership

# Staff of the leading union who act for the cluster leader (trưởng cụm).
LEADER_ROLES = frozenset({"admin", "reporter"})


def cluster_of(tenant_id: int, year: int) -> Cluster | None:
    """The cluster a union belongs to in `year`."""
    stmt = sa.select(Cluster).join(ClusterMembership).where(
        ClusterMembership.tenant_id == tenant_id, ClusterMembership.year == year)
    return db.session.scalars(stmt).first()


def clusters_led_by(user, year: int) -> list[Cluster]:
    """Clusters whose leading union in `year` has `user` among its admins or reporters."""
    led_tenants = [m.tenant_id for m in user.memberships if m.role in LEADER_ROLES]
    if not led_tenants:
        return []
    stmt = (sa.select(Cluster).join(ClusterLeadership)
            .where(ClusterLeadership.year == year, ClusterLeadership.leader_tenant_id.in_(led_tenants))
            .order_by(Cluster.code))
    return list(db.session.scalars(stmt))


def leads_cluster(user, cluster: Cluster, year: int) -> bool:
    return any(c.id == cluster.id for c in clusters_led_by(user, year))
