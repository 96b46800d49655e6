/* Report page: while a fresh PDF/Word file is being made (or just after a download was asked
   for), ask the server every few seconds how the files stand, and say so next to each button.
   A static file: the Content-Security-Policy forbids inline script. */
(function () {
  "use strict";
  var PAUSE_MS = 4000;
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
        if (anyPending) later(PAUSE_MS);
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
})();
