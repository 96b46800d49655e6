#!/usr/bin/env bash
# Run a web server (the command given as arguments) with a report worker beside it
# (`manage.py db_worker`, django-tasks' database queue). Used by `make run` and `make serve`.
# Both stop together: Ctrl+C or SIGTERM stops both, and if either exits the other is stopped
# (under systemd the service then restarts whole). Exit status: the first one to end.
set -uo pipefail
PY=${PY:-.venv/bin/python}

# A lower priority for the worker: a 2–6 s rendering takes what the pages leave.
nice -n "${WORKER_NICE:-10}" "$PY" manage.py db_worker ${DB_WORKER_ARGS:-} &
worker=$!
"$@" &
server=$!

stop() {
  trap - EXIT INT TERM
  for pid in "$server" "$worker"; do
    # runserver's autoreloader serves from a child process: stop the children first.
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait "$server" "$worker" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait -n "$worker" "$server"
exit $?
