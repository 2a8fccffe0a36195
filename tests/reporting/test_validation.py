"""Validation: required/min/max/override errors block submission; outlier warnings need a comment."""

import pytest

from app.extensions import db
from app.reporting import workflow
from app.reporting.validation import validate
from app.reporting.workflow import ReportError
from tenants.context import tenant_context


def _issues(report):
    return sorted((i.code, i.level, i.blocking) for i in validate(report))


def test_required_min_max_and_override(cluster_world, make_period, make_member):
    make_member(cluster_world["b"], "Hội Việt – Lào")
    period = make_period(2023)
    user = cluster_world["users"]["b"]
    with tenant_context(cluster_world["b"].id):
        report = workflow.open_report(period)
        assert _issues(report) == [("aid_vnd", "error", True)]
        workflow.save(report, values={"aid_vnd": -1, "share_bp": 10001, "members": 3})
        assert _issues(report) == [("aid_vnd", "error", True), ("members", "error", True),
                                   ("share_bp", "error", True)]
        with pytest.raises(ReportError) as refused:
            workflow.submit(report, user)
        assert len(refused.value.issues) == 3
        workflow.save(report, values={"aid_vnd": 0, "share_bp": 10000},
                      comments={"members": "Thêm một hội mới thành lập tháng 12"})
        assert _issues(report) == []
        workflow.submit(report, user)


def test_year_on_year_outlier_needs_a_comment(cluster_world, make_period, make_report):
    make_report(cluster_world["b"], make_period(2022), {"aid_vnd": 1000}, status="accepted")
    period = make_period(2023)
    user = cluster_world["users"]["b"]
    with tenant_context(cluster_world["b"].id):
        report = workflow.open_report(period)
        workflow.save(report, values={"aid_vnd": 1400})  # +40 %: within the 50 % rule
        assert _issues(report) == []
        workflow.save(report, values={"aid_vnd": 1600})  # +60 %
        assert _issues(report) == [("aid_vnd", "warning", True)]
        with pytest.raises(ReportError):
            workflow.submit(report, user)
        workflow.save(report, comments={"aid_vnd": "Dự án mới của GNI"})
        assert _issues(report) == [("aid_vnd", "warning", False)]
        workflow.submit(report, user)
        db.session.commit()
