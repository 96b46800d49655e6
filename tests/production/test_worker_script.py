"""`make run` and `make serve` start the report worker beside the web server through
scripts/with-worker.sh: the two stop together, whichever way one of them ends."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import PROJECT_DIR

SCRIPT = PROJECT_DIR / "scripts" / "with-worker.sh"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def wait_for(condition, seconds=10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def stand_ins(tmp_path):
    """A worker and a server that only record their process ids and wait."""
    worker = tmp_path / "python"
    worker.write_text(f'#!/usr/bin/env bash\necho "$$ $*" > {tmp_path}/worker.pid\nexec sleep 60\n')
    worker.chmod(0o755)
    server = tmp_path / "server"
    server.write_text(f'#!/usr/bin/env bash\necho $$ > {tmp_path}/server.pid\nexec sleep "${{1:-60}}"\n')
    server.chmod(0o755)
    return tmp_path


def start(stand_ins, *server_args):
    process = subprocess.Popen(
        ["bash", str(SCRIPT), str(stand_ins / "server"), *server_args],
        cwd=PROJECT_DIR,
        env={**os.environ, "PY": str(stand_ins / "python")},
    )
    assert wait_for(lambda: (stand_ins / "worker.pid").exists() and (stand_ins / "server.pid").exists())
    worker_pid, worker_args = (stand_ins / "worker.pid").read_text().split(" ", 1)
    assert worker_args.strip() == "manage.py db_worker"
    return process, int(worker_pid), int((stand_ins / "server.pid").read_text())


def test_stopping_the_script_stops_server_and_worker(stand_ins):
    process, worker, server = start(stand_ins)
    assert alive(worker) and alive(server)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 143
    assert wait_for(lambda: not alive(worker) and not alive(server))


def test_when_the_server_ends_the_worker_is_stopped_too(stand_ins):
    process, worker, server = start(stand_ins, "1")
    assert process.wait(timeout=10) == 0
    assert wait_for(lambda: not alive(worker) and not alive(server))


def test_make_run_and_serve_start_the_worker():
    makefile = (PROJECT_DIR / "Makefile").read_text()
    for target in ("run:", "serve:"):
        recipe = makefile.split(f"\n{target}", 1)[1].split("\n\n", 1)[0]
        assert "scripts/with-worker.sh" in recipe, target
