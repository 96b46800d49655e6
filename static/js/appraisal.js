/* ParIndex appraisal page: a corrected figure gives the score in its box (figures.js, as the
 * server computes it); the overall total follows every score box, as the field totals do
 * (entry.js). A preview only: the server checks and recomputes on save. No inline script. */
(function () {
  "use strict";

  function units(text) { return window.ParIndexFigures.scoreUnits(text); }

  function updateOverall() {
    var total = document.querySelector("[data-overall-total]");
    if (!total) return;
    var initial = units(total.getAttribute("data-initial")) || 0;
    var deductions = (total.getAttribute("data-deduction-fields") || "").split(" ");
    var sum = initial;
    document.querySelectorAll("input.score-input").forEach(function (input) {
      var blank = String(input.value || "").replace(/\s|\u00a0/g, "") === "";
      var typed = blank ? units(input.getAttribute("data-empty")) || 0 : units(input.value);
      var max = units(input.getAttribute("data-max"));
      if (typed === null || (max !== null && typed > max)) return;
      var delta = typed - (units(input.getAttribute("data-counted")) || 0);
      sum += deductions.indexOf(input.getAttribute("data-field")) >= 0 ? -delta : delta;
    });
    var output = total.querySelector("[data-overall-value]");
    if (output) output.textContent = window.ParIndexFigures.formatUnits(Math.max(sum, 0));
    total.classList.toggle("changed", sum !== initial);
  }

  function applyFigures(input) {
    var box = document.getElementById(input.getAttribute("data-score-box"));
    var note = document.querySelector('[data-figure-note-for="' + input.getAttribute("data-score-box") + '"]');
    var rule;
    try {
      rule = JSON.parse(input.getAttribute("data-rule"));
    } catch (e) {
      return;
    }
    var message = "";
    try {
      var result = window.ParIndexFigures.score(rule, input.value);
      if (result !== null && box) {
        box.value = window.ParIndexFigures.formatUnits(result);
        message = "→ điểm " + box.value;
      }
    } catch (error) {
      message = String(error);
    }
    input.classList.toggle("preview-invalid", message !== "" && message.indexOf("→") !== 0);
    if (note) note.textContent = message;
    if (box) box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (!target.classList) return;
    if (target.classList.contains("figures-input")) applyFigures(target);
    if (target.classList.contains("score-input")) updateOverall();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateOverall);
  } else {
    updateOverall();
  }
})();
