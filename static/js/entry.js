/* ParIndex entry pages: live field sub-totals while typing (a preview only: the server
 * recomputes them on save), confirmation of irreversible buttons, and a warning before
 * leaving a page with unsaved changes. No inline script anywhere (CSP script-src 'self'). */
(function () {
  "use strict";

  // Scores keep 4 decimals: added up as integers (ten-thousandths), read and written by
  // figures.js, which every page using this file loads first.
  function parseScore(text) { return window.ParIndexFigures.scoreUnits(text); }
  function formatScore(units) { return window.ParIndexFigures.formatUnits(units); }

  // What is wrong with a score box, said beside it while typing, in the words the server
  // uses when the form is saved as it is (forms.ScoreField, decimals.parse_decimal).
  function problemOf(input) {
    var raw = String(input.value || "").trim();
    var text = raw.replace(/\s|\u00a0/g, "");
    if (text === "") return "";
    if (raw.length > 20) return "Quá dài: nhập một số, ví dụ 0,9388.";
    var example = ": nhập một số, ví dụ 0,9388 hoặc 0.9388.";
    if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(text)) return "'" + raw + "' không phải là số" + example;
    var parts = text.replace(/^[+-]/, "").split(/[.,]/);
    var decimals = (parts[1] || "").replace(/0+$/, "");
    if (decimals.length > 4) return "'" + raw + "' có quá 4 chữ số thập phân" + example;
    var typed = parseScore((parts[0] || "0") + (decimals ? "," + decimals : ""));
    if (text.charAt(0) === "-" && typed > 0) return "Điểm không được âm.";
    var max = parseScore(input.getAttribute("data-max"));
    if (typed !== null && max !== null && typed > max) {
      return "Điểm " + formatScore(typed) + " lớn hơn điểm tối đa " + formatScore(max) + ".";
    }
    return "";
  }

  function showProblem(input, message) {
    // The server's message for this box (after a refused save) is reused; otherwise one is
    // added right after the box.
    var note = (input.id && document.getElementById(input.id + "-error")) || null;
    if (!note) {
      var next = input.nextElementSibling;
      if (next && next.hasAttribute("data-live-error")) note = next;
    }
    if (!message) {
      if (note) note.hidden = true;
      input.removeAttribute("aria-invalid");
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "field-error";
      note.setAttribute("data-live-error", "");
      note.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", note);
    }
    note.hidden = false;
    note.textContent = message;
    input.setAttribute("aria-invalid", "true");
  }

  function updateSubtotals() {
    var totals = document.querySelectorAll("[data-subtotal-for]");
    totals.forEach(function (total) {
      var field = total.getAttribute("data-subtotal-for");
      var sum = parseScore(total.getAttribute("data-initial")) || 0;
      var invalid = false;
      document.querySelectorAll('input.score-input[data-field="' + field + '"]').forEach(function (input) {
        // An empty box counts as what the server counts it as (data-empty): nothing, or in
        // phúc tra the appraised score that a re-check left empty keeps.
        var blank = String(input.value || "").replace(/\s|\u00a0/g, "") === "";
        var typed = blank ? parseScore(input.getAttribute("data-empty")) || 0 : parseScore(input.value);
        var counted = parseScore(input.getAttribute("data-counted")) || 0;
        var max = parseScore(input.getAttribute("data-max"));
        var bad = typed === null || (max !== null && typed > max);
        input.classList.toggle("preview-invalid", bad);
        if (bad) {
          invalid = true;
          return;
        }
        sum += typed - counted;
      });
      var output = total.querySelector("[data-subtotal-value]");
      if (output) output.textContent = formatScore(sum);
      total.classList.toggle("changed", sum !== (parseScore(total.getAttribute("data-initial")) || 0));
      total.classList.toggle("has-invalid", invalid);
    });
  }

  var dirty = false;

  // A control belongs to the form that submits it (its `form` attribute), not to the one it
  // sits in: a reason typed for "không áp dụng" or a chosen evidence file is not unsaved work.
  function ownerForm(control) {
    return control.form || (control.closest ? control.closest("form") : null);
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    var form = ownerForm(target);
    if (form && form.classList.contains("entry-form")) dirty = true;
    if (target.classList && target.classList.contains("score-input")) {
      if (!target.readOnly) showProblem(target, problemOf(target));
      updateSubtotals();
    }
  });

  // "Tải lên" without a chosen file: say so beside the row instead of leaving the page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-needs-file]") : null;
    if (!button) return;
    var picker = document.querySelector('input[type=file][form="' + button.getAttribute("form") + '"]');
    var cell = button.closest("td") || document;
    var error = cell.querySelector("[data-upload-error]");
    if (picker && picker.files && picker.files.length) {
      if (error) error.hidden = true;
      return;
    }
    event.preventDefault();
    if (error) {
      error.textContent = button.getAttribute("data-needs-file");
      error.hidden = false;
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.classList && event.target.classList.contains("entry-form")) dirty = false;
  });

  window.addEventListener("beforeunload", function (event) {
    var form = document.querySelector("form.entry-form[data-dirty-warning]");
    if (dirty && form) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-dirty-warning");
    }
  });

  // Uploading evidence or marking a criterion "không áp dụng" leaves the page: unsaved
  // scores are lost unless the user saves first.
  document.addEventListener("submit", function (event) {
    if (event.target.classList && event.target.classList.contains("hidden-form") && dirty) {
      if (!window.confirm("Có điểm chưa lưu: thao tác này sẽ bỏ các thay đổi đó. Tiếp tục?")) {
        event.preventDefault();
      } else {
        dirty = false;
      }
    }
  });

  // Show the chosen evidence file's name in its (Vietnamese) picker label.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "file" || !input.closest) return;
    var picker = input.closest("label.file-pick");
    if (!picker) return;
    var label = picker.querySelector("[data-file-label]");
    var name = input.files && input.files.length ? input.files[0].name : "";
    label.textContent = name || "Chọn tệp…";
    picker.classList.toggle("chosen", !!name);
    var error = picker.closest("td") ? picker.closest("td").querySelector("[data-upload-error]") : null;
    if (error && name) error.hidden = true;
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateSubtotals);
  } else {
    updateSubtotals();
  }
})();
