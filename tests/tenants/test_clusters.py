"""Cluster membership is kept per year; leadership is derived from that year's leading union."""

from app.extensions import db
from tenants.clusters import cluster_of, clusters_led_by, leads_cluster
from tenants.models import Cluster, ClusterLeadership, ClusterMembership


def test_leader_follows_the_year(make_tenant, make_user, national):
    a, b, c = make_tenant("tinh-a"), make_tenant("tinh-b"), make_tenant("tinh-c")
    cluster = Cluster(code="01", name_vi="Cụm thi đua số 01", name_en="Cluster 01")
    for year in (2024, 2025):
        cluster.memberships += [ClusterMembership(year=year, tenant=t) for t in (a, b)]
    cluster.leaderships += [ClusterLeadership(year=2024, leader=a, deputy=b),
                            ClusterLeadership(year=2025, leader=b, deputy=a)]
    db.session.add(cluster)
    db.session.commit()
    a_admin = make_user("admin@a.vn", tenant=a, role="admin")
    a_author = make_user("author@a.vn", tenant=a, role="author")
    b_reporter = make_user("reporter@b.vn", tenant=b, role="reporter")

    assert leads_cluster(a_admin, cluster, 2024) and not leads_cluster(a_admin, cluster, 2025)
    assert leads_cluster(b_reporter, cluster, 2025) and not leads_cluster(b_reporter, cluster, 2024)
    assert clusters_led_by(a_author, 2024) == []  # authors do not act for the leader
    assert cluster_of(a.id, 2025) is cluster
    assert cluster_of(c.id, 2025) is None
    assert cluster_of(a.id, 2023) is None  # membership is data per year, not a permanent attribute
