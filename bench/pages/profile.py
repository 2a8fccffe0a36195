"""Where a live worker's time goes: py-spy samples one gunicorn worker while wrk loads one page.

    .venv/bin/python bench/pages/profile.py [home|list_p2|detail] [--cached] [--seconds 15] [--ua browser]

Uses the database run.py loaded (run it once first). Prints the functions with the most samples, inclusive
(the time spent in them and below) and exclusive (in them only), and keeps the raw samples in
/tmp/lhhn-bench/profile-<page>.txt (py-spy's collapsed format, for a flame graph).
"""

import argparse
import collections
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.pages.run import BROWSER_UA, HOST, PORT, WORK, OurServer, get, our_paths  # noqa: E402


def top(raw: Path, limit: int = 40) -> str:
    inclusive, exclusive, total = collections.Counter(), collections.Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        frames, n = stack.split(";"), int(n)
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        exclusive[frames[-1]] += n
    out = [f"{total} samples"]
    out += ["-- inclusive"] + [f"{100 * v / total:5.1f} %  {k[:160]}" for k, v in inclusive.most_common(limit)]
    out += ["-- exclusive"] + [f"{100 * v / total:5.1f} %  {k[:160]}" for k, v in exclusive.most_common(limit // 2)]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("page", nargs="?", default="home", choices=("home", "list_p2", "detail"))
    parser.add_argument("--cached", action="store_true")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--ua", choices=("none", "browser"), default="none")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    path = our_paths()[args.page]
    raw = WORK / f"profile-{args.page}{'-cached' if args.cached else ''}.txt"
    with OurServer(args.cached) as server:
        for _ in range(20):
            get(PORT, path)
        wrk = ["wrk", "-t2", "-c16", f"-d{args.seconds + 4}s", "-H", f"Host: {HOST}"]
        if args.ua == "browser":
            wrk += ["-H", f"User-Agent: {BROWSER_UA}"]
        load = subprocess.Popen([*wrk, f"http://127.0.0.1:{PORT}{path}"], stdout=subprocess.DEVNULL)
        time.sleep(2)
        worker = server.workers()[0]
        subprocess.run([spy, "record", "-p", str(worker), "-d", str(args.seconds), "-r", "250", "-f", "raw",
                        "-o", str(raw)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        load.wait()
    print(top(raw))


if __name__ == "__main__":
    main()
