"""Load test: gunicorn (2 workers) + PostgreSQL on 127.0.0.1, 50 department users.

    .venv/bin/python bench/load_test.py                   # 60 s, 50 editors + 5 leaders, pauses 5–15 s
    .venv/bin/python bench/load_test.py --report-server   # reports from a second gunicorn (nice 10)
    .venv/bin/python bench/load_test.py --viewers 0       # department users only, no report
    .venv/bin/python bench/load_test.py --think 1 3       # stress: about 4 times the request rate

What it does, all on loopback (bounded: --duration seconds, ramp included, and at most
--max-requests requests):
1. creates a dedicated PostgreSQL database (parindex_load_<time>), migrates it, seeds it
   (bench/load_db.py seed): the reference data, a 2024 self-assessment of Bình Phước open to
   its agencies, 50 department editors spread over the agencies (each with criteria of its
   own), 5 Sở Nội vụ leaders;
2. starts gunicorn with parindex/gunicorn.conf.py (2 workers × 4 threads) in production mode
   (DEBUG=0, secure cookies, WhiteNoise manifest storage), behind a simulated TLS proxy
   (X-Forwarded-Proto: https from 127.0.0.1, which gunicorn trusts);
3. each editor logs in through the form (logins spread over --ramp seconds), then until the
   time or request budget runs out: reads its entry page, pauses, saves one of its criteria
   (score + explanation, the whole form as a browser posts it), follows the redirect,
   pauses, and one time in five opens the home page; each leader reads the progress page,
   pauses, downloads one report (HTML page, PDF, Word in turn), pauses;
4. stops gunicorn, checks in the database that every acknowledged save (302 after the
   POST) is there (bench/load_db.py verify), prints requests/s and p50/p95/p99 per
   endpoint, errors, CPU use (gunicorn, PostgreSQL, this client, other processes), and
   drops the database.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_client import Browser, Budget, SimulatedUser, Stats, summarise

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"
PG = "postgres://postgres@127.0.0.1:5432"
PAGE_TARGET_MS = 300


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def admin_sql(statement: str, pg_url: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def run(command: list, env: dict, **kwargs) -> str:
    completed = subprocess.run(
        [str(part) for part in command], cwd=PROJECT, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{completed.stdout}\n{completed.stderr}")
    return completed.stdout


def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    browser = Browser("127.0.0.1", port)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited at start-up; see its log")
        try:
            status, _headers, _body = browser.request("GET", "/dang-nhap/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def process_cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError, ValueError):
            continue
    return total


def machine_busy_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def pids_named(name: str) -> list[int]:
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == name:
                found.append(int(comm.parent.name))
        except OSError:
            continue
    return found


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def markdown(summary: dict, verify: dict, args) -> str:
    lines = [
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in summary["endpoints"].items():
        lines.append(
            f"| {name} | {row['requests']} | {row['rps']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['p99_ms']} | {row['max_ms']} | {row['errors']} |"
        )
    lines.append(f"| **all** | {summary['requests']} | {summary['rps']} | | | | | {summary['errors']} |")
    lines.append("")
    lines.append(
        f"Acknowledged saves: {verify['acknowledged_saves']}, found in the database: "
        f"{verify['found_in_history']}, missing: {verify['missing_count']}, criteria whose current "
        f"value is not the last acknowledged save: {verify['stale_count']}."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="ParIndex load test (loopback only).")
    parser.add_argument(
        "--duration", type=float, default=60.0, help="seconds of load, ramp included (default 60)"
    )
    parser.add_argument("--users", type=int, default=50, help="department editors (default 50)")
    parser.add_argument("--viewers", type=int, default=5, help="leaders downloading reports (default 5)")
    parser.add_argument(
        "--ramp", type=float, default=30.0, help="seconds over which users log in (default 30)"
    )
    parser.add_argument(
        "--think", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"), help="pause, s (5 15)"
    )
    parser.add_argument("--max-requests", type=int, default=30000, help="request budget (default 30000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--report-server",
        action="store_true",
        help="serve the reports (/bao-cao/: HTML, PDF, Word) from a second gunicorn (1 worker, "
        "nice 10), as docs/performance.md suggests",
    )
    parser.add_argument("--pg", default=PG, help="PostgreSQL server URL, loopback only")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database afterwards")
    parser.add_argument("--json", help="write the full results here")
    args = parser.parse_args()
    if "127.0.0.1" not in args.pg and "localhost" not in args.pg:
        raise SystemExit("PostgreSQL must be on 127.0.0.1")

    db_name = f"parindex_load_{int(time.time())}"
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="parindex-load-"))
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"{args.pg}/{db_name}",
        MEDIA_ROOT=str(work / "media"),
        STATIC_ROOT=str(work / "static"),
        PARINDEX_CACHE_DIR=str(work / "cache"),
        MPLCONFIGDIR=str(work / "matplotlib"),
        PORT=str(port),
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_THREADS=str(args.threads),
        GUNICORN_ACCESS_LOG=str(work / "access.log"),
        LOG_LEVEL="WARNING",
    )
    admin_sql(f'CREATE DATABASE "{db_name}"', args.pg)
    server = report_server = None
    try:
        t0 = time.monotonic()
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        plan_path = work / "plan.json"
        print(run([PYTHON, "bench/load_db.py", "seed", "--users", args.users, "--viewers", args.viewers,
                   "--out", plan_path], env).strip())  # fmt: skip
        plan = json.loads(plan_path.read_text())
        print(f"setup {time.monotonic() - t0:.1f} s; reports: {[r['url'] for r in plan['report_urls']]}")

        log = open(work / "gunicorn.log", "w")  # noqa: SIM115 - closed with the server
        server = subprocess.Popen(
            [str(GUNICORN), "--config", "parindex/gunicorn.conf.py"],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_up(port, server)
        workers = children_of(server.pid)
        report_port = None
        if args.report_server:
            report_port = free_port()
            report_env = dict(env, PORT=str(report_port), GUNICORN_WORKERS="1", GUNICORN_THREADS="2")
            report_server = subprocess.Popen(
                ["nice", "-n", "10", str(GUNICORN), "--config", "parindex/gunicorn.conf.py"],
                cwd=PROJECT,
                env=report_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            wait_until_up(report_port, report_server)
            workers += [report_server.pid, *children_of(report_server.pid)]
        postgres = pids_named("postgres")
        cpu_before = process_cpu_seconds([server.pid, *workers])
        pg_before = process_cpu_seconds(postgres)
        client_before = process_cpu_seconds([os.getpid()])
        busy_before, _total = machine_busy_jiffies()
        window_start = time.monotonic()
        load_before = os.getloadavg()[0]

        stats = Stats()
        started = time.monotonic()
        budget = Budget(started + args.duration, args.max_requests)
        low, high = args.think

        def think(rng):
            return rng.uniform(low, high)

        users = [
            SimulatedUser(
                plan,
                user,
                port,
                started + args.ramp * i / len(plan["users"]),
                budget,
                stats,
                think,
                report_port=report_port,
            )
            for i, user in enumerate(plan["users"])
        ]
        for user in users:
            user.start()
        for user in users:
            user.join(timeout=args.duration + 60)
        # Requests per second over the time requests were made: from the start to the end
        # of the last request (requests in flight at the deadline are allowed to finish).
        elapsed = max(stats.last_end, started + 1) - started
        server_cpu = process_cpu_seconds([server.pid, *workers]) - cpu_before
        postgres = sorted(set(postgres) | set(pids_named("postgres")))
        pg_cpu = process_cpu_seconds(postgres) - pg_before
        client_cpu = process_cpu_seconds([os.getpid()]) - client_before
        busy_after, _total = machine_busy_jiffies()
        cores = os.cpu_count() or 1
        window = time.monotonic() - window_start
        machine_cpu = (busy_after - busy_before) / os.sysconf("SC_CLK_TCK")
        load_after = os.getloadavg()[0]
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if report_server is not None:
            report_server.send_signal(signal.SIGTERM)
            report_server.wait(timeout=30)
            report_server = None
        log.close()
        server = None

        acks_path = work / "acks.json"
        acks_path.write_text(json.dumps(stats.acks, ensure_ascii=False))
        verify = json.loads(
            run([PYTHON, "bench/load_db.py", "verify", "--plan", plan_path, "--acks", acks_path], env)
        )
        summary = summarise(stats, elapsed)
        summary["cpu_s"] = {
            "gunicorn": round(server_cpu, 1),
            "postgres": round(pg_cpu, 1),
            "load_client": round(client_cpu, 1),
            "whole_machine": round(machine_cpu, 1),
            "other_processes": round(max(0.0, machine_cpu - server_cpu - pg_cpu - client_cpu), 1),
            "available": round(cores * window, 1),
        }
        summary["load_average"] = [round(load_before, 2), round(load_after, 2)]
        summary["settings"] = {
            "users": args.users,
            "viewers": args.viewers,
            "duration_s": args.duration,
            "ramp_s": args.ramp,
            "think_s": [low, high],
            "workers": args.workers,
            "report_server": args.report_server,
            "threads": args.threads,
            "max_requests": args.max_requests,
        }
        summary["verify"] = verify
        print(markdown(summary, verify, args))
        print(
            f"CPU seconds over {window:.1f} s × {cores} cores = {cores * window:.0f}: "
            + ", ".join(f"{k} {v}" for k, v in summary["cpu_s"].items() if k != "available")
            + f"; load average {load_before:.1f} → {load_after:.1f}"
        )
        if summary["report_cache"]:
            print("report cache (X-Report-Cache):", summary["report_cache"])
        if summary["error_samples"]:
            print("errors:", *summary["error_samples"], sep="\n  ")
        pages = [
            row
            for name, row in summary["endpoints"].items()
            if name in ("entry GET", "entry POST (save)", "home GET", "progress GET")
        ]
        passed = (
            summary["errors"] == 0
            and verify["missing_count"] == 0
            and verify["stale_count"] == 0
            and all(row["p95_ms"] < PAGE_TARGET_MS for row in pages)
        )
        summary["targets_met"] = passed
        print(
            "targets (0 errors, no lost save, p95 < 300 ms for pages and saves):",
            "MET" if passed else "NOT MET",
        )
        if args.json:
            Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    finally:
        for process in (server, report_server):
            if process is not None:
                process.kill()
                process.wait()
        if not args.keep_db:
            admin_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)', args.pg)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept database {db_name}; files in {work}")


if __name__ == "__main__":
    main()
