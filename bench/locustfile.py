"""The simulated users of bench/load_test.py, for Locust (headless; started by load_test.py,
which seeds the database, starts gunicorn and the report worker, and checks the saves).

    LOAD_PLAN=plan.json LOAD_ACKS=acks.json locust -f bench/locustfile.py --headless ...

- Department editors (`Editor`, one per plan entry of kind "editor"): log in through the form,
  then read their entry page, pause, save one of their own criteria (score + explanation, the
  whole form as a browser posts it), follow the redirect, pause, and one time in five open the
  home page. Every save the server acknowledges (302 back to the entry page) is written to
  LOAD_ACKS when the run ends, for `bench/load_db.py verify`.
- Sở Nội vụ leaders (`Leader`): the progress page, pause, then the report page, its PDF and its
  Word file in turn; after a download, the files' status (what static/js/report-files.js polls).

Requests go to the loopback address only, as through the TLS proxy (X-Forwarded-Proto: https,
which gunicorn trusts from 127.0.0.1). Nothing is sent after the run's deadline, so an
unacknowledged save never lands after the last acknowledged one.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import time
from collections import Counter
from decimal import Decimal
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
INPUT = re.compile(r"<input\b([^>]*)>", re.IGNORECASE)
TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.IGNORECASE | re.DOTALL)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFUSAL = re.compile(r'<(?:p class="field-error"|li class="message error")[^>]*>(.*?)</', re.DOTALL)

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
ACKS: list[dict] = []
REPORT_FILES: Counter = Counter()  # X-Report-Cache of the downloads: hit, stale, preparing
REPORT_CHARTS: Counter = Counter()  # the report page's charts: current, older drawing, being drawn
CHART = re.compile(r'<figure class="chart"[^>]*>')
# Django's own time per request name, from the Server-Timing header (assessments/middleware.py):
# {"entry GET": [[app ms, cpu ms], …]}
SERVER_TIMING: dict[str, list[list[float]]] = {}
TIMING = re.compile(r"(app|cpu);dur=([\d.]+)")
RUN = {"deadline": float("inf")}
EDITORS = [u for u in PLAN["users"] if u["kind"] == "editor"]
LEADERS = [u for u in PLAN["users"] if u["kind"] != "editor"]


@events.test_start.add_listener
def _deadline(environment, **_kwargs):
    run_time = getattr(environment.parsed_options, "run_time", None)
    if run_time:
        RUN["deadline"] = time.monotonic() + run_time


@events.quitting.add_listener
def _write_acks(environment, **_kwargs):
    path = os.environ.get("LOAD_ACKS")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "acks": ACKS,
                    "report_files": REPORT_FILES,
                    "report_charts": REPORT_CHARTS,
                    "server_timing": SERVER_TIMING,
                },
                handle,
                ensure_ascii=False,
            )


def open_time() -> bool:
    return time.monotonic() < RUN["deadline"]


def form_fields(page: str, form_id: str) -> dict[str, str]:
    """What a browser posts from the form: its inputs and textareas (not those that belong to
    other forms through form="…"), the CSRF token included."""
    start = page.find(f'id="{form_id}"')
    if start < 0:
        return {}
    chunk = page[start : page.find("</form>", start)]
    values = {}
    for match in INPUT.finditer(chunk):
        attrs = {k: html.unescape(v) for k, v in ATTR.findall(match.group(1))}
        if "name" not in attrs or "form" in attrs or attrs.get("type") in ("file", "submit", "button"):
            continue
        values[attrs["name"]] = attrs.get("value", "")
    for match in TEXTAREA.finditer(chunk):
        attrs = dict(ATTR.findall(match.group(1)))
        if "name" in attrs and "form" not in attrs:
            values[attrs["name"]] = html.unescape(match.group(2)).lstrip("\r\n")
    return values


def random_score(maximum: Decimal, rng) -> tuple[str, str]:
    """(as typed, as stored): "0,9388" or "0.9388" and "0.9388"."""
    value = (Decimal(rng.randint(0, int(maximum * 10000))) / 10000).quantize(Decimal("0.0001"))
    typed = str(value)
    return (typed.replace(".", ",") if rng.random() < 0.5 else typed), str(value)


class PlanUser(HttpUser):
    abstract = True
    # The pauses are inside each cycle (`pause`), as a person reads a page before acting.
    wait_time = constant(0)
    think = (5.0, 15.0)
    accounts: list[dict] = []

    def on_start(self):
        if urlsplit(self.host).hostname not in LOOPBACK:
            raise RuntimeError(f"load tests run against loopback only, not {self.host}")
        self.account = self.accounts.pop(0)
        self.origin = "https://" + urlsplit(self.host).netloc
        # As nginx talks to gunicorn by default (HTTP/1.0, one connection per request), and as
        # the previous client did: no keep-alive connection that gunicorn may close (after its
        # 5 s keepalive) just as a user who paused 5 s sends the next request.
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Accept-Language": "vi", "Connection": "close"}
        )
        self.saves = 0
        self.rng = random.Random(self.account["username"])
        self.login()

    def pause(self):
        """Think, but never past the deadline; after it, this user is done."""
        remaining = RUN["deadline"] - time.monotonic()
        if remaining <= 0:
            raise StopUser
        gevent.sleep(min(self.rng.uniform(*self.think), remaining))

    def request(self, name, method, path, *, expect=(200,), data=None):
        if not open_time():
            return None
        headers = {"Origin": self.origin, "Referer": self.origin + path} if method == "POST" else {}
        with self.client.request(
            method, path, name=name, data=data, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            # The browser sees https (the proxy terminates TLS) and sends Secure cookies back;
            # this client speaks plain HTTP to gunicorn, so it keeps them as ordinary cookies.
            for cookie in self.client.cookies:
                cookie.secure = False
            timing = dict(TIMING.findall(response.headers.get("Server-Timing", "")))
            if "app" in timing and "cpu" in timing:
                SERVER_TIMING.setdefault(name, []).append([float(timing["app"]), float(timing["cpu"])])
            if response.status_code in expect:
                response.success()
                return response
            response.failure(f"HTTP {response.status_code} {method} {path}")
            return None

    def login(self):
        page = self.request("login GET", "GET", PLAN["login_url"])
        if page is None:
            return
        token = CSRF_INPUT.search(page.text)
        body = {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": self.account["username"],
            "password": PLAN["password"],
            "next": "",
        }
        self.request("login POST", "POST", PLAN["login_url"], expect=(302,), data=body)


class Editor(PlanUser):
    fixed_count = len(EDITORS)
    accounts = list(EDITORS)

    @task
    def cycle(self):
        entry = self.account["entry_url"]
        page = self.request("entry GET", "GET", entry)
        self.pause()
        if page is not None and self.account["criteria"] and open_time():
            self.save(entry, page.text)
            self.pause()
        if self.rng.random() < 0.2:
            self.request("home GET", "GET", PLAN["home_url"])

    def save(self, entry: str, page: str):
        fields = form_fields(page, "entry-form")
        criterion = self.rng.choice(self.account["criteria"])
        if f"self_score_{criterion}" not in fields:
            events.request.fire(
                request_type="POST",
                name="entry POST (save)",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"criterion {criterion} not on the page"),
                context={},
            )
            return
        self.saves += 1
        typed, stored = random_score(Decimal(PLAN["maxima"][str(criterion)]), self.rng)
        explanation = f"Tải thử {self.account['username']} lần {self.saves}: đã ban hành kế hoạch"
        fields.update(
            {f"self_score_{criterion}": typed, f"explanation_{criterion}": explanation, "action": "save"}
        )
        response = self.request("entry POST (save)", "POST", entry, expect=(302, 200), data=fields)
        if response is None:
            return
        if response.status_code == 302 and urlsplit(response.headers.get("Location", "")).path == entry:
            ACKS.append(
                {
                    "user": self.account["username"],
                    "criterion": criterion,
                    "self_score": stored,
                    "explanation": explanation,
                    "acked_at": time.time(),
                }
            )
            self.request("entry GET", "GET", entry)  # the browser follows the redirect
        else:
            reasons = " | ".join(html.unescape(m) for m in REFUSAL.findall(response.text))[:300]
            events.request.fire(
                request_type="POST",
                name="save refused",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"HTTP {response.status_code}: {reasons}"),
                context={},
            )


class Leader(PlanUser):
    fixed_count = len(LEADERS)
    accounts = list(LEADERS)

    def on_start(self):
        super().on_start()
        self.turn = len(self.accounts)  # the leaders start on different reports

    @task
    def cycle(self):
        self.request("progress GET", "GET", PLAN["progress_url"])
        self.pause()
        report = PLAN["reports"][self.turn % len(PLAN["reports"])]
        self.turn += 1
        response = self.request(report["name"], "GET", report["url"], expect=(200, 202))
        if response is not None and report["name"] == "report page GET":
            # How each chart came: drawn for the page's data, an older drawing, or not drawn
            # yet (the worker draws them, reports/drawings.py).
            figures = CHART.findall(response.text)
            notes = response.text.count('class="chart-note"')
            waiting = sum(1 for f in figures if "data-waiting" in f)
            REPORT_CHARTS["current"] += len(figures) - waiting
            REPORT_CHARTS["older drawing"] += notes
            REPORT_CHARTS["being drawn"] += waiting - notes
        if response is not None and report["name"].startswith("report file"):
            REPORT_FILES[response.headers.get("X-Report-Cache", "preparing")] += 1
            self.request("report files status GET", "GET", PLAN["report_files_url"])
        self.pause()
