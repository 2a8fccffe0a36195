"""Rollup cost on PostgreSQL: 63 unions × 20 periods × 40 indicators (50,400 figures).

Run: `.venv/bin/python bench/reports_bench.py [postgresql://root@127.0.0.1:5432/test]` — the URL is an admin
connection; the bench creates its own database, fills it, measures and drops it. Prints the full national
recompute (goal < 1 s; first run inserts every row, the second finds nothing to change) and the incremental
recompute after one submission (goal < 100 ms), median of several runs.
"""

import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import sqlalchemy as sa  # noqa: E402

UNIONS, YEARS, INDICATORS, CLUSTER_SIZE = 63, 10, 40, 7
AGGREGATIONS = ("sum", "sum", "average", "latest")
PROFILE = os.path.join(tempfile.gettempdir(), "lhhn-reports-bench.prof")  # BENCH_PROFILE=1 prints the hot spots


def _admin_url() -> str:
    from config import database_url

    return database_url(sys.argv[1] if len(sys.argv) > 1 else "postgresql://root@127.0.0.1:5432/test")


def main() -> None:
    admin = sa.create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    dbname = f"lhhn_reports_bench_{secrets.token_hex(3)}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{dbname}"'))
    try:
        os.environ.update(DATABASE_URL=admin.url.set(database=dbname).render_as_string(hide_password=False),
                          SECRET_KEY=secrets.token_hex(32), INSTANCE_DIR=tempfile.mkdtemp(prefix="lhhn-bench-"))
        os.environ.pop("REDIS_URL", None)
        run()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db"),
                         {"db": dbname})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{dbname}"'))


def run() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    app = create_app()
    with app.app_context():
        upgrade()
        build(db)
        measure(db)


def build(db) -> None:
    from app.reporting.models import Indicator, Report, ReportingPeriod, ReportTemplate, ReportValue, TemplateVersion
    from tenants.models import Cluster, ClusterMembership, Tenant
    from tenants.scoping import all_tenants

    started = time.perf_counter()
    template = ReportTemplate(code="bench", name_vi="Mẫu đo", name_en="Bench")
    version = TemplateVersion(template=template, number=1, published=True)
    for i in range(INDICATORS):
        version.indicators.append(Indicator(code=f"i{i:02d}", name_vi=f"Chỉ tiêu {i}", name_en=f"Indicator {i}",
                                            unit="count", aggregation=AGGREGATIONS[i % 4], position=i))
    db.session.add(template)
    tenants = [Tenant(slug=f"tinh-{n:02d}", name_vi=f"Tỉnh {n}", name_en=f"Province {n}") for n in range(UNIONS)]
    clusters = [Cluster(code=f"{c + 1:02d}", name_vi=f"Cụm {c + 1}", name_en=f"Cluster {c + 1}")
                for c in range(UNIONS // CLUSTER_SIZE)]
    db.session.add_all(tenants + clusters)
    db.session.flush()
    periods = []
    for year in range(2016, 2016 + YEARS):
        for kind in ("half_year", "annual"):
            periods.append(ReportingPeriod(kind=kind, year=year, name_vi=f"{kind} {year}", name_en=f"{kind} {year}",
                                           window_start=date(year, 1, 1), window_end=date(year, 12, 31),
                                           due_date=date(year, 12, 31), template=template))
        for n, tenant in enumerate(tenants):  # the clusters shuffle a little every year
            db.session.add(ClusterMembership(tenant_id=tenant.id, year=year,
                                             cluster_id=clusters[(n + year) % len(clusters)].id))
    db.session.add_all(periods)
    db.session.flush()
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with all_tenants("bench: build the reports of every union"):
        report_rows = [{"tenant_id": t.id, "period_id": p.id, "version_id": version.id, "status": "accepted",
                        "submitted_at": at + timedelta(minutes=n)} for n, t in enumerate(tenants) for p in periods]
        db.session.execute(sa.insert(Report), report_rows)
        reports = db.session.execute(sa.select(Report.id, Report.tenant_id)).all()
        value_rows = [{"tenant_id": tenant_id, "report_id": report_id, "indicator_id": indicator.id,
                       "value": (report_id * 37 + indicator.id * 11) % 100_000}
                      for report_id, tenant_id in reports for indicator in version.indicators]
        db.session.execute(sa.insert(ReportValue), value_rows)
    db.session.commit()
    print(f"built {len(tenants)} unions × {len(periods)} periods × {INDICATORS} indicators = {len(value_rows)} "
          f"figures in {time.perf_counter() - started:.1f} s")


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def measure(db) -> None:
    from app.reporting import rollups
    from app.reporting.models import ClusterRollup, NationalRollup, Report, ReportValue
    from tenants.context import tenant_context
    from tenants.scoping import all_tenants

    first = _timed(rollups.compute_full)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx("rollups.compute_full()", globals(), locals(), PROFILE)
        pstats.Stats(PROFILE).sort_stats("cumulative").print_stats(25)
    counts = (db.session.scalar(sa.select(sa.func.count(ClusterRollup.id))),
              db.session.scalar(sa.select(sa.func.count(NationalRollup.id))))
    again = [_timed(rollups.compute_full) for _ in range(3)]
    print(f"full recompute, first run (inserts {counts[0]} cluster + {counts[1]} national rows): {first:.0f} ms")
    print(f"full recompute, nothing changed (median of 3): {statistics.median(again):.0f} ms  (goal < 1000 ms)")
    with all_tenants("bench: pick reports to resubmit"):
        picks = db.session.execute(sa.select(Report.id, Report.tenant_id, Report.period_id).order_by(Report.id)
                                   .limit(400)).all()[::40]
    incremental = []
    for step, (report_id, tenant_id, period_id) in enumerate(picks):
        with tenant_context(tenant_id):
            report = db.session.get(Report, report_id)
            report.status = "returned"
            db.session.flush()
            db.session.execute(sa.update(ReportValue).where(ReportValue.report_id == report_id)
                               .values(value=ReportValue.value + step + 1))
            report.status = "submitted"
            db.session.commit()
        incremental.append(_timed(lambda t=tenant_id, p=period_id: rollups.compute_incremental(tenant_id=t,
                                                                                                period_id=p)))
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        t, p = picks[0][1], picks[0][2]
        cProfile.runctx("rollups.compute_incremental(tenant_id=t, period_id=p)", globals(), locals(), PROFILE)
        pstats.Stats(PROFILE).sort_stats("tottime").print_stats(15)
    print(f"incremental recompute after one submission (median of {len(incremental)}): "
          f"{statistics.median(incremental):.0f} ms, max {max(incremental):.0f} ms  (goal < 100 ms)")
    full_after = _timed(rollups.compute_full)
    print(f"full recompute after the submissions: {full_after:.0f} ms")


if __name__ == "__main__":
    main()
