"""A crawler for the browser tests: from the home page, breadth first, it opens the pages of the
site a signed-in account reaches by a link (GET only) and checks each one: the HTTP status, the
browser console and script errors, `<html lang="vi">`, the load time, and English left in what
the user reads or hears (text, title, placeholders, button values, aria-label, title and alt).

URLs are grouped by their URL pattern (`resolve(path).view_name`): a few of each are opened,
the first one photographed. The API (/api/, a developer's page), static and media files, file
downloads and the logout (a POST) are left out.

English is found two ways, on words of unaccented letters only (every Vietnamese word with a
diacritic passes): a word that cannot be a Vietnamese syllable ("Search", "models", "Task"),
and the few English words that can ("True", "No", "Go", "By"). A short allow-list keeps names of
products (Excel, Word, ParIndex) and words Vietnamese uses as they are (email, web, byte); the
caller adds what its data holds (user names, agency short names)."""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

SLOW_SECONDS = 1.0

VIETNAMESE_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(oai|oay|oao|oeo|uay|uya|uyu|ai|ao|au|ay|eo|eu|ia|iu|oa|oe|oi|oo|ua|ue|ui|uy|[aeiouy])"
    r"(ch|ng|nh|[cmnpt])?$",
    re.IGNORECASE,
)
# English words of a Vietnamese syllable's shape, as a Django page would leave them.
ENGLISH_LIKE_SYLLABLES = {"True", "No", "Not", "Go", "By", "Noon", "Mon", "Tue", "Sat", "Sun", "Then", "Can"}
ALLOWED = {
    "ParIndex",  # the product
    "Excel",
    "Word",  # file formats, as Vietnamese offices name them
    "email",
    "Email",
    "web",
    "website",
    "byte",
    *("pdf", "doc", "docx", "xls", "xlsx", "csv", "tsv", "zip", "png", "jpg", "jpeg"),  # file types
    "Ctrl",  # the key
    "affine",  # the ministry's notation of a scoring rule ("affine 0,5"), as the import reads it
}
WORD = re.compile(r"(?<![\w@-])[A-Za-z]+(?![\w@-])")
NOT_TEXT = re.compile(
    r"\S+@\S+"  # e-mail addresses
    r"|https?://\S+"  # addresses
    r"|\S+\.(?:pdf|docx|xlsx|csv|tsv|png|jpe?g|txt)\b"  # file names
    r"|(?<![\w])/[\w/.-]*"  # paths
    r"|\bdd/mm/yyyy(?: hh:mm)?"  # the date format the date fields show
    r"|\S*(?:text|application|image)/[\w.+*-]+[^\s,]*"  # HTTP Accept headers (django-axes' logs)
    r"|Mozilla/[^\n]*"  # browsers (django-axes' logs)
    r"|\S+\*{4,}"  # a secret's first characters, the rest starred (a password's salt)
)

# Everything the user reads or hears, one evaluation per page. Text set in capitals by CSS is
# read as written (text-transform off, after the screenshot); code (<code>, <kbd>) is code.
PAGE_JS = """() => {
  const style = document.createElement("style");
  style.textContent = "* { text-transform: none !important; }";
  document.head.appendChild(style);
  let text = document.body ? document.body.innerText : "";
  document.querySelectorAll("code, kbd, samp, pre").forEach(c => { text = text.replace(c.innerText, " "); });
  const parts = [document.title, text];
  const read = (sel, attr) => document.querySelectorAll(sel).forEach(e => {
    const v = e.getAttribute(attr); if (v) parts.push(v);
  });
  read("[placeholder]", "placeholder");
  read("[aria-label]", "aria-label");
  read("[title]", "title");
  read("img[alt]", "alt");
  read("input[type=submit], input[type=button], input[type=reset]", "value");
  document.querySelectorAll("select option").forEach(o => parts.push(o.textContent));
  return {
    lang: document.documentElement.lang,
    text: parts.join("\\n"),
    links: Array.from(document.querySelectorAll("a[href]"), a => a.href),
  };
}"""


# The navigation's time to the load event and to the answer's first byte, in seconds.
TIMING_JS = """() => {
  const t = performance.getEntriesByType("navigation")[0];
  return t ? [(t.loadEventEnd - t.startTime) / 1000, (t.responseStart - t.requestStart) / 1000] : null;
}"""


def page_words(page, allowed: set[str] = frozenset()) -> list[str]:
    """The English words of the page open in `page` (see english_words)."""
    return english_words(page.evaluate(PAGE_JS)["text"], allowed)


def english_words(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """The English words of `text`, once each, with a little of what surrounds the first."""
    text = NOT_TEXT.sub(" ", text)
    found: dict[str, list] = {}
    for match in WORD.finditer(text):
        word = match.group(0)
        if word in ALLOWED or word in allowed or len(word) == 1 or word.isupper():
            continue  # a letter (a, b, c of a list, k of a formula), an abbreviation (PDF, CCHC)
        if VIETNAMESE_SYLLABLE.match(word) and word not in ENGLISH_LIKE_SYLLABLES:
            continue
        start, end = match.span()
        context = text[max(0, start - 30) : end + 30].replace("\n", " ⏎ ")
        found.setdefault(word, [0, context])[0] += 1
    return [f"“{word}” ×{count} in …{context}…" for word, (count, context) in found.items()]


@dataclass
class Visit:
    url: str
    name: str
    status: int
    seconds: float  # the navigation, from the request to the load event
    server: float  # from the request to the first byte of the answer
    again: float | None = None  # a slow page opened a second time


@dataclass
class CrawlReport:
    role: str
    visits: list[Visit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)

    def slowest(self, n: int = 3) -> list[Visit]:
        return sorted(self.visits, key=lambda v: v.seconds, reverse=True)[:n]


# URL names whose GET is a file (never opened: the browser would download it) or JSON.
DOWNLOADS = {
    "assessments:evidence_download",
    "reports:download",
    "reports:ranking_xlsx",
    "reports:announcement",
    "reports:unit_sheet",
    "reports:files",
}
LEFT_OUT = {"logout", "admin:logout", "admin:jsi18n", "admin:autocomplete", "admin:view_on_site"}
DOWNLOAD_SUFFIX = re.compile(r"\.(?:pdf|docx|xlsx|xls|csv|tsv|zip)$")


@dataclass(frozen=True)
class Pattern:
    name: str  # the URL pattern's name
    kind: str  # what counts towards the cap: the name; for the admin's delete pages (one
    # template for every model) the view, for its history pages the template
    shot: str  # the screenshot's name: one per kind of page (the admin's by view)


def pattern_of(url: str, base: str) -> Pattern | None:
    """The URL's pattern, None if the crawl leaves it out, a pattern named "?" if no URL
    pattern answers it."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    path = parts.path
    if path.startswith(("/api/", "/static/", "/media/")) or DOWNLOAD_SUFFIX.search(path):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return Pattern("?", "?", "")
    name = match.view_name
    if name in DOWNLOADS or name in LEFT_OUT or name.endswith("_export_annex"):
        return None
    kind = shot = name
    model_admin = getattr(match.func, "model_admin", None)  # a model's admin page
    if model_admin is not None:
        view = name.removeprefix(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_")
        shot = f"admin-{view}"
        if view == "delete":  # one template for every model
            kind = shot
        if view == "history":  # Django's, or django-simple-history's
            template = getattr(model_admin, "object_history_template", None) or "admin"
            kind = shot = f"admin-history ({template})"
    return Pattern(name, kind, re.sub(r"[^\w-]+", "-", shot).strip("-"))


def crawl(
    page,
    base: str,
    role: str,
    *,
    per_pattern: int = 2,
    max_pages: int = 200,
    admin_view: Callable[[str], bool] = lambda name: True,
    shots: Path | None = None,
    allowed: set[str] = frozenset(),
) -> CrawlReport:
    """Opens the pages reachable from the home page in the signed-in `page`: at most
    `per_pattern` of each of the site's URL patterns, one of each admin page `admin_view`
    accepts (by URL name)."""
    report = CrawlReport(role)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    queue: deque[tuple[str, str]] = deque([(f"{base}/", "start")])
    seen: set[str] = set()
    opened: Counter = Counter()
    shot: set[str] = set()
    if shots is not None:
        shutil.rmtree(shots, ignore_errors=True)
        shots.mkdir(parents=True)
    while queue and len(report.visits) < max_pages:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        pattern = pattern_of(url, base)
        if pattern is None or (pattern.name.startswith("admin:") and not admin_view(pattern.name)):
            report.skipped["left out"] += 1
            continue
        if pattern.name == "?":
            report.problems.append(f"{url}: no URL pattern answers it (link on {source})")
            continue
        cap = 1 if pattern.name.startswith("admin:") else per_pattern
        if opened[pattern.kind] >= cap:
            report.skipped["seen enough of its kind"] += 1
            continue
        opened[pattern.kind] += 1
        visit = _open(page, url, pattern.name, errors, report)
        if visit is None:
            continue
        where = f"{url} ({pattern.name}, link on {source})"
        if visit.status >= 400:
            report.problems.append(f"{where}: HTTP {visit.status}")
        if errors:
            report.problems.extend(f"{where}: {error}" for error in errors)
        if visit.seconds >= SLOW_SECONDS:
            # A page is slow if it is slow twice: the first time may be the machine's hiccup.
            _open(page, url, pattern.name, [], None, visit)
            if visit.again is not None and visit.again >= SLOW_SECONDS:
                report.problems.append(f"{where}: {visit.seconds:.2f} s, again {visit.again:.2f} s")
        if shots is not None and pattern.shot not in shot:
            shot.add(pattern.shot)
            page.screenshot(path=str(shots / f"{pattern.shot}.png"))
        found = page.evaluate(PAGE_JS)
        if found["lang"] != "vi":
            report.problems.append(f"{where}: <html lang={found['lang']!r}>")
        report.problems.extend(f"{where}: {word}" for word in english_words(found["text"], allowed))
        for link in found["links"]:
            link = urldefrag(link).url
            if link.startswith(base) and link not in seen:
                queue.append((link, url))
    if queue:
        report.problems.append(f"the crawl stopped at {max_pages} pages with {len(queue)} links left")
    return report


def _open(page, url: str, name: str, errors: list, report: CrawlReport | None, visit=None):
    """Opens the page and times it (Navigation Timing); None for a file download."""
    errors.clear()
    started = time.perf_counter()
    try:
        response = page.goto(url, wait_until="load")
    except Exception as exc:  # Playwright's Error when the answer is a file to download
        if "Download is starting" in str(exc) and report is not None:
            report.downloads.append(url)
            return None
        raise
    timing = page.evaluate(TIMING_JS)
    seconds, server = timing if timing and timing[0] > 0 else (time.perf_counter() - started, 0.0)
    if visit is not None:
        visit.again = seconds
        return visit
    visit = Visit(url, name, response.status if response is not None else 0, seconds, server)
    report.visits.append(visit)
    return visit
