/* Report page: while a fresh PDF/Word file is being made (or just after a download was asked
   for), ask the server every few seconds how the files stand, and say so next to each button.
   While a chart of the page is being drawn by the task worker (reports/drawings.py), the same
   answer lists the kept drawings: the one the page waits for is fetched and put in place.
   A static file: the Content-Security-Policy forbids inline script. */
(function () {
  "use strict";
  var PAUSE_MS = 4000;
  var CHART_PAUSE_MS = 1000; // a chart takes a fraction of a second to draw
  var MAX_POLLS = 150; // about ten minutes, then the page stops asking
  var box = document.querySelector(".report-files[data-status-url]");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var polls = 0;
  var timer = null;
  var seen = {};

  function part(format, name) {
    return box.querySelector('.report-file[data-format="' + format + '"] .' + name);
  }

  function show(file) {
    var asOf = part(file.format, "file-as-of");
    var pending = part(file.format, "file-pending");
    var fresh = part(file.format, "file-fresh");
    var error = part(file.format, "file-error");
    if (!asOf) return;
    asOf.textContent = file.ready ? "Bản hiện có: " + file.as_of + "." : "Chưa có bản nào: bấm tải để tạo.";
    pending.hidden = !file.pending;
    fresh.hidden = !(file.ready && !file.pending && seen[file.format] !== file.data_as_of);
    error.textContent = file.error;
    error.hidden = !file.error;
  }

  function waitingCharts() {
    return document.querySelectorAll("figure.chart[data-waiting]");
  }

  function chartNote(kind, text) {
    var note = document.querySelector('.chart-note[data-chart-note="' + kind + '"]');
    if (!note) return;
    if (text) note.textContent = text;
    else note.remove();
  }

  function putDrawing(figure, svgText) {
    var parsed = new DOMParser().parseFromString(svgText, "image/svg+xml");
    var drawing = parsed.documentElement;
    if (!drawing || drawing.nodeName.toLowerCase() !== "svg") return;
    var old = figure.querySelector("svg, .chart-wait");
    var fresh = document.importNode(drawing, true);
    if (old) figure.replaceChild(fresh, old);
    else figure.insertBefore(fresh, figure.firstChild);
    figure.removeAttribute("data-waiting");
    chartNote(figure.getAttribute("data-chart"), "");
  }

  // True while a chart still waits for its drawing.
  function showCharts(charts) {
    var waiting = false;
    waitingCharts().forEach(function (figure) {
      var kind = figure.getAttribute("data-chart");
      var chart = (charts || []).filter(function (c) { return c.kind === kind; })[0];
      if (chart && chart.key && chart.key === figure.getAttribute("data-key")) {
        fetch(chart.url, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (text) { if (text) putDrawing(figure, text); else later(PAUSE_MS); })
          .catch(function () { later(PAUSE_MS * 2); });
        return;
      }
      if (chart && !chart.asked) {
        // Nothing is being drawn for this page any more: the drawing failed, or one of newer
        // data replaced it.
        figure.removeAttribute("data-waiting");
        chartNote(kind, chart.failed
          ? "Chưa vẽ được biểu đồ. Tải lại trang để thử lại."
          : "Số liệu đã thay đổi từ khi mở trang: tải lại trang để xem biểu đồ mới.");
        return;
      }
      waiting = true;
    });
    return waiting;
  }

  function poll() {
    timer = null;
    polls += 1;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        var anyPending = false;
        data.files.forEach(function (file) {
          show(file);
          anyPending = anyPending || file.pending;
        });
        if (showCharts(data.charts)) later(polls < 5 ? CHART_PAUSE_MS : PAUSE_MS);
        else if (anyPending) later(PAUSE_MS);
      })
      .catch(function () { later(PAUSE_MS * 2); });
  }

  function later(ms) {
    if (timer === null && polls < MAX_POLLS) timer = window.setTimeout(poll, ms);
  }

  box.querySelectorAll(".report-file").forEach(function (row) {
    // The data time of the file the page was shown with: a newer one is announced as fresh.
    seen[row.getAttribute("data-format")] = row.getAttribute("data-as-of");
    row.querySelector("a").addEventListener("click", function () {
      // The download may have queued a fresh file: look again shortly.
      later(1500);
    });
    if (!row.querySelector(".file-pending").hidden) later(PAUSE_MS);
  });
  if (waitingCharts().length) later(CHART_PAUSE_MS);
})();
