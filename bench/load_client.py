"""The simulated users of bench/load_test.py: plain http.client in threads, one thread per
user, cookies and CSRF handled like a browser behind the TLS proxy (X-Forwarded-Proto:
https from 127.0.0.1, which gunicorn trusts), every request timed.

Only loopback addresses: the client refuses any other host.
"""

from __future__ import annotations

import html
import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
INPUT = re.compile(r"<input\b([^>]*)>", re.IGNORECASE)
TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.IGNORECASE | re.DOTALL)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFUSAL = re.compile(r'<(?:p class="field-error"|li class="message error")[^>]*>(.*?)</', re.DOTALL)


class Budget:
    """Stops every user at the deadline or when the request budget is spent."""

    def __init__(self, deadline: float, max_requests: int):
        self.deadline = deadline
        self.remaining = max_requests
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.remaining <= 0 or time.monotonic() >= self.deadline:
                return False
            self.remaining -= 1
            return True

    def open(self) -> bool:
        return self.remaining > 0 and time.monotonic() < self.deadline


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    acks: list[dict] = field(default_factory=list)
    refused_saves: int = 0
    report_cache: dict[str, dict[str, int]] = field(default_factory=dict)
    last_end: float = 0.0

    def record(self, endpoint: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.last_end = max(self.last_end, time.monotonic())
            self.latencies.setdefault(endpoint, []).append(seconds * 1000)
            if not ok:
                self.errors[endpoint] = self.errors.get(endpoint, 0) + 1
                if len(self.error_samples) < 30:
                    self.error_samples.append(f"{endpoint}: {detail}")

    def cache(self, endpoint: str, outcome: str) -> None:
        with self.lock:
            counts = self.report_cache.setdefault(endpoint, {})
            counts[outcome] = counts.get(outcome, 0) + 1

    def ack(self, item: dict) -> None:
        with self.lock:
            self.acks.append(item)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, int(-(-fraction * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(stats: Stats, elapsed: float) -> dict:
    rows = {}
    for endpoint, values in sorted(stats.latencies.items()):
        rows[endpoint] = {
            "requests": len(values),
            "rps": round(len(values) / elapsed, 2),
            "p50_ms": round(percentile(values, 0.50), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "p99_ms": round(percentile(values, 0.99), 1),
            "max_ms": round(max(values), 1),
            "errors": stats.errors.get(endpoint, 0),
        }
    total = sum(row["requests"] for row in rows.values())
    return {
        "elapsed_s": round(elapsed, 1),
        "requests": total,
        "rps": round(total / elapsed, 1),
        "errors": sum(stats.errors.values()),
        "error_samples": stats.error_samples,
        "acknowledged_saves": len(stats.acks),
        "refused_saves": stats.refused_saves,
        "report_cache": stats.report_cache,
        "endpoints": rows,
    }


class Browser:
    """One user's cookies and the proxy headers."""

    def __init__(self, host: str, port: int, timeout: float = 30.0):
        if host not in LOOPBACK:
            raise ValueError(f"load tests run against loopback only, not {host}")
        self.host, self.port, self.timeout = host, port, timeout
        self.origin = f"https://{host}:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "parindex-load-test",
            "Accept-Language": "vi",
            "Connection": "close",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            return response.status, dict(response.headers.items()), content
        finally:
            connection.close()

    def _keep_cookies(self, lines: list[str]) -> None:
        for line in lines:
            pair, *attributes = line.split(";")
            name, _, value = pair.strip().partition("=")
            expired = any(a.strip().lower() in ("max-age=0",) for a in attributes)
            if expired or value in ('""', ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value


def form_fields(page: str, form_id: str) -> dict[str, str]:
    """What a browser would post from the form: inputs and textareas inside it (not the
    ones that belong to other forms through form="…"), csrf token included."""
    start = page.find(f'id="{form_id}"')
    if start < 0:
        return {}
    end = page.find("</form>", start)
    chunk = page[start:end]
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


def random_score(maximum: Decimal, rng: random.Random) -> tuple[str, str]:
    """(as typed, as stored): "0,9388" or "0.9388" and Decimal("0.9388")."""
    units = rng.randint(0, int(maximum * 10000))
    value = (Decimal(units) / 10000).quantize(Decimal("0.0001"))
    typed = str(value)
    if rng.random() < 0.5:
        typed = typed.replace(".", ",")
    return typed, str(value)


class SimulatedUser(threading.Thread):
    def __init__(
        self,
        plan: dict,
        user: dict,
        port: int,
        start_at: float,
        budget: Budget,
        stats: Stats,
        think,
        report_port: int | None = None,
    ):
        super().__init__(name=user["username"], daemon=True)
        self.plan, self.user, self.start_at = plan, user, start_at
        self.budget, self.stats, self.think = budget, stats, think
        self.browser = Browser("127.0.0.1", port)
        # Reports may come from a separate gunicorn (nginx routes /bao-cao/ there): same host,
        # same cookies.
        self.report_browser = Browser("127.0.0.1", report_port) if report_port else self.browser
        self.report_browser.cookies = self.browser.cookies
        self.rng = random.Random(user["username"])
        self.saves = 0
        self.cycles = self.rng.randrange(3)

    def call(self, endpoint: str, method: str, path: str, body=None, expect=(200,), browser=None):
        if not self.budget.take():
            return None
        started = time.perf_counter()
        try:
            status, headers, content = (browser or self.browser).request(method, path, body)
        except OSError as exc:
            self.stats.record(endpoint, time.perf_counter() - started, False, f"{type(exc).__name__}: {exc}")
            return None
        elapsed = time.perf_counter() - started
        ok = status in expect
        self.stats.record(endpoint, elapsed, ok, f"HTTP {status} {method} {path}")
        return (status, headers, content) if ok else None

    def pause(self) -> None:
        """Think, but never past the end of the test."""
        time.sleep(max(0.0, min(self.think(self.rng), self.budget.deadline - time.monotonic())))

    def run(self) -> None:
        time.sleep(max(0.0, self.start_at - time.monotonic()))
        if not self.login():
            return
        while self.budget.open():
            if self.user["kind"] == "editor":
                self.editor_cycle()
            else:
                self.leader_cycle()

    def login(self) -> bool:
        got = self.call("login GET", "GET", self.plan["login_url"])
        if not got:
            return False
        token = CSRF_INPUT.search(got[2].decode())
        body = {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": self.user["username"],
            "password": self.plan["password"],
            "next": "",
        }
        got = self.call("login POST", "POST", self.plan["login_url"], body, expect=(302,))
        return got is not None

    def editor_cycle(self) -> None:
        entry = self.user["entry_url"]
        got = self.call("entry GET", "GET", entry)
        if not got:
            self.pause()
            return
        self.pause()
        if self.user["criteria"] and self.budget.open():
            self.save(entry, got[2].decode())
            self.pause()
        if self.rng.random() < 0.2:
            self.call("home GET", "GET", self.plan["home_url"])

    def save(self, entry: str, page: str) -> None:
        fields = form_fields(page, "entry-form")
        criterion = self.rng.choice(self.user["criteria"])
        if f"self_score_{criterion}" not in fields:
            self.stats.record("entry POST (save)", 0.0, False, f"criterion {criterion} not on the page")
            return
        self.saves += 1
        typed, stored = random_score(Decimal(self.plan["maxima"][str(criterion)]), self.rng)
        explanation = f"Tải thử {self.user['username']} lần {self.saves}: đã ban hành kế hoạch"
        fields[f"self_score_{criterion}"] = typed
        fields[f"explanation_{criterion}"] = explanation
        fields["action"] = "save"
        got = self.call("entry POST (save)", "POST", entry, fields, expect=(302, 200))
        if not got:
            return
        status, headers, _content = got
        location = urlsplit(headers.get("Location", "")).path
        if status == 302 and location == entry:
            self.stats.ack(
                {
                    "user": self.user["username"],
                    "criterion": criterion,
                    "self_score": stored,
                    "explanation": explanation,
                    "acked_at": time.time(),
                }
            )
            # The browser follows the redirect: the entry page again, with "Đã lưu".
            self.call("entry GET", "GET", entry)
        else:
            with self.stats.lock:
                self.stats.refused_saves += 1
            reasons = [html.unescape(m) for m in REFUSAL.findall(_content.decode(errors="replace"))]
            detail = f"HTTP {status} → {location or 'form'}: {' | '.join(reasons)[:300]}"
            self.stats.record("save refused", 0.0, False, detail)

    def leader_cycle(self) -> None:
        """The progress page, then one report (HTML, PDF, Word in turn)."""
        self.call("progress GET", "GET", self.plan["progress_url"])
        self.pause()
        reports = self.plan["report_urls"]
        if reports and self.budget.open():
            report = reports[self.cycles % len(reports)]
            got = self.call(f"report {report['name']}", "GET", report["url"], browser=self.report_browser)
            if got and "X-Report-Cache" in got[1]:
                self.stats.cache(report["name"], got[1]["X-Report-Cache"])
            self.pause()
        self.cycles += 1
