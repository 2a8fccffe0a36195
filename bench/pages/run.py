"""The page benchmark: our public pages against the Wagtail peer and the bare-Flask limit, in one run.

    make bench-pages                    # = .venv/bin/python bench/pages/run.py
    .venv/bin/python bench/pages/run.py --rounds 2 --articles 2000 [--reload] [--peer-setup] [--no-peer]

1. Our side: a fresh PostgreSQL database owned by a role without SUPERUSER/BYPASSRLS (so row-level security
   applies, as in production), Redis db 11, the tenant `vinh-phuc` with N articles loaded through the
   platform's services (bench/pages/load.py), served by gunicorn exactly as the README's production section
   says (`gunicorn wsgi:app`, which reads gunicorn.conf.py; only the bind address, pid file and log differ).
2. The peer (../shared/bench/peers/wagtail): set up once (setup.sh, or again with --peer-setup), then
   served, measured and stopped by its own scripts; the limit by ../shared/bench/limit/measure_limit.sh.
3. Rounds, interleaved: peer uncached, ours uncached, peer cached, ours cached, limit; every measurement is
   ../shared/bench/lib/wrk_summary.sh's wrk_line (3 s warm-up, wrk -t2 -c16 -d10s --latency), so both sides
   are measured the same way. Medians over the rounds go in the table.
4. Statements: our server is started once more behind a counting proxy (bench/pages/pgcount.py) and each page
   is asked 20 times, one request at a time: every statement PostgreSQL receives is counted (BEGIN, ROLLBACK,
   set_config and the pool's ping included); Redis commands are counted with MONITOR on the bench db.
5. Worker memory: the RSS of our workers after the warm-up and after every measured request (>10,000).

Everything started is stopped by its pid. Results: the table on stdout and in /tmp/lhhn-bench/result.md.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LHHN_SHARED_BENCH", ROOT.parent / "shared" / "bench"))
WORK = Path("/tmp/lhhn-bench")
PG_ADMIN = os.environ.get("PG_ADMIN_URL", "postgresql://root@127.0.0.1:5432/test")
DB, ROLE = "lhhn_bench", "lhhn_bench_app"
REDIS_DB = 11
PORT = 8803
HOST = "vinh-phuc.localhost"
PAGES = ("home", "list_p2", "detail")
PEER_PATHS = {"home": "/", "list_p2": "/tin-tuc/?page=2", "detail": "/tin-tuc/bai-viet-01000/"}
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"

sys.path.insert(0, str(ROOT))
from bench.pages.pgcount import StatementCounter  # noqa: E402


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def sh(*args, env=None, check=True, capture=False, cwd=ROOT) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, check=check, text=True,
                            stdout=subprocess.PIPE if capture else None, stderr=subprocess.STDOUT if capture else None)
    return result.stdout or ""


def psql(sql: str, db_url: str = PG_ADMIN) -> str:
    return sh("psql", db_url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql, capture=True).strip()


# --- our side ------------------------------------------------------------------------------------------

def our_env(database_port: int = 5432, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LHHN_", "TEST_"))}
    env.update(DATABASE_URL=f"postgresql://{ROLE}@127.0.0.1:{database_port}/{DB}",
               REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}", SECRET_KEY="bench-only-not-a-secret",
               SESSION_COOKIE_SECURE="0", INSTANCE_DIR=str(WORK / "instance"), PLATFORM_HOST="localhost",
               LHHN_LOG_LEVEL="WARNING", **extra)
    return env


def prepare_database(articles: int, reload: bool) -> None:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'") == "1"
    if exists and not reload:
        have = psql("SELECT count(*) FROM news_article", PG_ADMIN.rsplit("/", 1)[0] + f"/{DB}")
        if int(have or 0) >= articles:
            log(f"reusing database {DB} ({have} articles; --reload to rebuild)")
            sh(".venv/bin/flask", "--app", "wsgi", "db", "upgrade", env=our_env(), capture=True)
            return
    log(f"creating database {DB} owned by {ROLE} (no SUPERUSER, no BYPASSRLS)")
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    if psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}'") != "1":
        psql(f"CREATE ROLE {ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
    psql(f"CREATE DATABASE {DB} OWNER {ROLE}")
    shutil.rmtree(WORK / "instance", ignore_errors=True)
    sh(".venv/bin/flask", "--app", "wsgi", "db", "upgrade", env=our_env(), capture=True)
    log(f"loading {articles} articles through the platform's services")
    sh(".venv/bin/python", "bench/pages/load.py", str(articles), env=our_env())
    psql("VACUUM ANALYZE", PG_ADMIN.rsplit("/", 1)[0] + f"/{DB}")  # as autovacuum would, soon after a bulk load


def our_paths() -> dict[str, str]:
    row = psql("SELECT id || ' ' || slug FROM news_article ORDER BY id OFFSET 999 LIMIT 1",
               PG_ADMIN.rsplit("/", 1)[0] + f"/{DB}")
    article_id, slug = row.split(" ", 1)
    return {"home": "/", "list_p2": "/tin-tuc/?page=2", "detail": f"/tin/{article_id}/{slug}"}


class OurServer:
    """gunicorn wsgi:app as the README says (gunicorn.conf.py), on a bench port, daemonised, stopped by pid."""

    def __init__(self, cached: bool, database_port: int = 5432):
        self.cached, self.database_port = cached, database_port
        self.pidfile = WORK / "ours.pid"

    def __enter__(self):
        sh("redis-cli", "-n", str(REDIS_DB), "FLUSHDB", capture=True)
        env = our_env(self.database_port, **({} if self.cached else {"LHHN_PAGE_CACHE_SECONDS": "0"}))
        sh(".venv/bin/gunicorn", "wsgi:app", "--bind", f"127.0.0.1:{PORT}", "--daemon", "--pid", str(self.pidfile),
           "--error-logfile", str(WORK / "ours.log"), env=env)
        for _ in range(150):
            if get(PORT, "/")[0] == 200:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"our server did not answer; see {WORK / 'ours.log'}")

    def workers(self) -> list[int]:
        master = self.pidfile.read_text().strip()
        return [int(p) for p in sh("pgrep", "-P", master, capture=True, check=False).split()]

    def rss_kb(self) -> list[int]:
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)))
        return sizes

    def __exit__(self, *exc):
        pid = int(self.pidfile.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        self.pidfile.unlink(missing_ok=True)


def get(port: int, path: str, host: str = HOST, headers: dict | None = None) -> tuple[int, bytes]:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""


# --- measuring -----------------------------------------------------------------------------------------

def wrk_line(label: str, name: str, url: str, extra_header: str | None = None) -> dict:
    script = f'. "{SHARED}/lib/wrk_summary.sh"; wrk_line "$@"'
    env = dict(os.environ)
    if extra_header:  # through a wrk script: WRK_ARGS is split on spaces
        name_, value = extra_header.split(": ", 1)
        script_file = WORK / f"header-{name}.lua"
        script_file.write_text(f'wrk.headers["{name_}"] = "{value}"\n')
        env["WRK_ARGS"] = f"-t2 -c16 -d10s -s {script_file}"
    out = sh("bash", "-c", script, "wrk_line", label, name, url, HOST, env=env, capture=True)
    return parse_wrk(out, label, name)


def parse_wrk(output: str, label: str, name: str) -> dict:
    match = re.search(rf"^{re.escape(label)} {re.escape(name)} rps=(\S+) p50=(\S+) p99=(\S+)", output, re.M)
    if not match:
        raise RuntimeError(f"no wrk line for {label} {name}:\n{output}")
    warnings = [line for line in output.splitlines() if line.startswith("WARN")]
    return {"rps": float(match.group(1)), "p50": float(match.group(2)), "p99": float(match.group(3)),
            "warnings": warnings}


def measure_ours(paths: dict, cached: bool, rss: list) -> dict:
    label = "ours_cached" if cached else "ours"
    with OurServer(cached) as server:
        for path in paths.values():  # warm the workers (imports, templates, the page cache) before the RSS
            for _ in range(20):
                get(PORT, path)
        rss.append(("start", server.rss_kb()))
        results = {name: wrk_line(label, name, f"http://127.0.0.1:{PORT}{paths[name]}") for name in PAGES}
        if cached:
            results["detail_browser"] = wrk_line(label, "detail_browser", f"http://127.0.0.1:{PORT}{paths['detail']}",
                                                 f"User-Agent: {BROWSER_UA}")
        rss.append(("end", server.rss_kb()))
    return results


def measure_peer(cached: bool) -> dict:
    peer = SHARED / "peers" / "wagtail"
    env = dict(os.environ)
    if cached:
        env.update(WAGPEER_PAGE_CACHE="1", LABEL="wagtail_cached")
        sh("redis-cli", "-n", "7", "FLUSHDB", capture=True)
    sh(str(peer / "serve.sh"), env=env, capture=True)
    try:
        out = sh(str(peer / "measure.sh"), env=env, capture=True)
    finally:
        sh(str(peer / "stop.sh"), capture=True, check=False)
    label = "wagtail_cached" if cached else "wagtail"
    return {name: parse_wrk(out, label, name) for name in PAGES}


def measure_limit() -> dict:
    out = sh(str(SHARED / "limit" / "measure_limit.sh"), capture=True)
    return parse_wrk(out, "flask_const", "const")


def count_statements(paths: dict, cached: bool, n: int = 20) -> dict:
    """Statements PostgreSQL receives and Redis commands per request, one request at a time."""
    counter = StatementCounter()
    counts = {}
    try:
        with OurServer(cached, database_port=counter.port):
            for name in PAGES:
                for _ in range(40):  # warm every worker (each keeps its own tenant snapshot, menu and counts);
                    get(PORT, paths[name])  # on the cached server the page is stored by now
                monitor = RedisMonitor()
                counter.reset()
                for _ in range(n):
                    status, _ = get(PORT, paths[name])
                    assert status == 200, (name, status)
                counts[name] = {"sql": counter.count / n, "redis": monitor.stop() / n,
                                "sample": list(dict.fromkeys(counter.statements))[:12]}
    finally:
        counter.close()
    return counts


class RedisMonitor:
    """Counts the commands clients send to the bench's Redis db (MONITOR; commands inside scripts excluded)."""

    def __init__(self):
        self.proc = subprocess.Popen(["redis-cli", "MONITOR"], stdout=subprocess.PIPE, text=True)
        self.count = 0
        self.proc.stdout.readline()  # OK
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        time.sleep(0.2)

    def _read(self):
        pattern = re.compile(rf"\[{REDIS_DB} \d")  # "[11 127.0.0.1:port]": a client's command, not a script's
        for line in self.proc.stdout:
            if pattern.search(line):
                self.count += 1

    def stop(self) -> int:
        time.sleep(0.3)
        self.proc.terminate()
        self.proc.wait()
        return self.count


# --- report --------------------------------------------------------------------------------------------

def median(values):
    return statistics.median(values) if values else float("nan")


def summarise(rounds: list[dict], counts: dict, rss: list, limit: list) -> str:
    def med(kind, page, key):
        return median([r[kind][page][key] for r in rounds if kind in r])

    lines = ["| page | peer uncached rps (p50/p99 ms) | ours uncached rps (p50/p99 ms) | ours/peer | SQL uncached "
             "| peer cached rps | ours cached rps (p50/p99 ms) | ours/peer | SQL / Redis cmds on a hit |",
             "|---|---|---|---|---|---|---|---|---|"]
    goals = []
    lim = median(limit)
    for page in PAGES:
        pu, ou = med("peer", page, "rps"), med("ours", page, "rps")
        pc, oc = med("peer_cached", page, "rps"), med("ours_cached", page, "rps")
        lines.append(
            f"| {page} | {pu:,.0f} ({med('peer', page, 'p50'):.1f}/{med('peer', page, 'p99'):.1f}) "
            f"| {ou:,.0f} ({med('ours', page, 'p50'):.1f}/{med('ours', page, 'p99'):.1f}) | {ou / pu:.2f}× "
            f"| {counts['uncached'][page]['sql']:.1f} "
            f"| {pc:,.0f} | {oc:,.0f} ({med('ours_cached', page, 'p50'):.2f}/{med('ours_cached', page, 'p99'):.2f}) "
            f"| {oc / pc:.2f}× | {counts['cached'][page]['sql']:.1f} / {counts['cached'][page]['redis']:.1f} |")
        goals += [
            (f"{page}: uncached ≥ 3× peer", ou / pu >= 3, f"{ou / pu:.2f}×"),
            (f"{page}: uncached ≤ 5 statements", counts["uncached"][page]["sql"] <= 5,
             f"{counts['uncached'][page]['sql']:.1f}"),
            (f"{page}: cached ≥ 2× peer cached", oc / pc >= 2, f"{oc / pc:.2f}×"),
            (f"{page}: cached ≥ 70 % of the limit", oc / lim >= 0.7, f"{100 * oc / lim:.0f} %"),
            (f"{page}: 0 statements on a hit", counts["cached"][page]["sql"] == 0,
             f"{counts['cached'][page]['sql']:.1f}"),
        ]
        for kind in ("ours", "ours_cached"):
            p50, p99 = med(kind, page, "p50"), med(kind, page, "p99")
            goals.append((f"{page}: {kind} p99 ≤ 3× p50", p99 <= 3 * p50, f"{p99 / p50:.2f}×"))
    browser = median([r["ours_cached"]["detail_browser"]["rps"] for r in rounds if "ours_cached" in r])
    lines.append(f"\nLimit (bare Flask constant page, same gunicorn and wrk): {lim:,.0f} rps "
                 f"(rounds: {', '.join(f'{v:,.0f}' for v in limit)}).")
    lines.append(f"Cached article with a browser User-Agent (counted as a visit, cookie issued): {browser:,.0f} rps "
                 f"({100 * browser / lim:.0f} % of the limit).")
    first = sum(next(v for k, v in rss if k == "start"))
    last = sum([v for k, v in rss if k == "end"][-1])
    change = 100 * (last - first) / first
    goals.append(("worker RSS flat (±10 %) over >10,000 requests", abs(change) <= 10, f"{change:+.1f} %"))
    lines.append(f"Worker RSS (sum of workers): {first / 1024:.0f} MB after warm-up → {last / 1024:.0f} MB after "
                 f"every measured request ({change:+.1f} %).")
    lines.append("\n| goal | met | figure |\n|---|---|---|")
    lines += [f"| {name} | {'yes' if ok else '**no**'} | {figure} |" for name, ok, figure in goals]
    lines.append("\nStatements PostgreSQL received per request (uncached, first distinct ones):")
    for page in PAGES:
        lines.append(f"- {page}: " + "; ".join(counts["uncached"][page]["sample"]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--reload", action="store_true", help="rebuild our database even if it is loaded")
    parser.add_argument("--peer-setup", action="store_true", help="run the peer's setup.sh even if it exists")
    parser.add_argument("--no-peer", action="store_true", help="measure ours only (no ratios)")
    parser.add_argument("--count-only", action="store_true", help="only count statements and Redis commands")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if not shutil.which("wrk"):
        sh("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null")
    prepare_database(args.articles, args.reload)
    paths = our_paths()
    if not args.no_peer and (args.peer_setup or not Path("/tmp/wagpeer/manage.py").exists()):
        log("setting up the Wagtail peer (setup.sh 2000, about two minutes)")
        sh(str(SHARED / "peers" / "wagtail" / "setup.sh"), "2000")
    log("counting statements per request")
    counts = {"uncached": count_statements(paths, cached=False), "cached": count_statements(paths, cached=True)}
    if args.count_only:
        for mode, pages in counts.items():
            for page, c in pages.items():
                print(f"{mode:8} {page:8} SQL {c['sql']:4.1f}  Redis {c['redis']:4.1f}  " + " | ".join(c["sample"]))
        return
    rounds, rss, limit = [], [], []
    for number in range(1, args.rounds + 1):
        log(f"round {number}/{args.rounds}")
        result = {}
        for kind, run in (("peer", lambda: measure_peer(False)), ("ours", lambda: measure_ours(paths, False, rss)),
                          ("peer_cached", lambda: measure_peer(True)),
                          ("ours_cached", lambda: measure_ours(paths, True, rss))):
            if kind.startswith("peer") and args.no_peer:
                continue
            result[kind] = run()
            log(f"  {kind}: " + ", ".join(f"{p} {v['rps']:,.0f} rps" for p, v in result[kind].items()))
        limit.append(measure_limit()["rps"])
        log(f"  limit: {limit[-1]:,.0f} rps")
        rounds.append(result)
    if args.no_peer:
        for r in rounds:
            r["peer"] = r["peer_cached"] = {p: {"rps": float("nan"), "p50": float("nan"), "p99": float("nan")}
                                            for p in PAGES}
    table = summarise(rounds, counts, rss, limit)
    header = (f"Page benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {args.rounds} interleaved round(s), "
              f"{args.articles} articles, medians; our pages: {paths}")
    (WORK / "result.md").write_text(header + "\n\n" + table + "\n")
    print("\n" + header + "\n\n" + table)


if __name__ == "__main__":
    main()
