/* ParIndex entry page: the score a criterion's declared figures give, shown while typing,
 * computed by figures.js (loaded before this file) as the server computes it; the server
 * recomputes on save and its result is the one stored. The rule comes as JSON in the figures
 * box's data-rule attribute (Criterion.rule_as_js_dict). Messages are Vietnamese and sit
 * beside the boxes. */
(function () {
  "use strict";

  var F = window.ParIndexFigures; // figures.js: the arithmetic, as the server's
  var ZERO = BigInt(0);

  // The boxes' figure: {kind: "ratio"|"percent"|"count", value, total} or {error} or null.
  function readFigure(box, rule) {
    var inputs = box.querySelectorAll("input.figure-input");
    var labels = box.querySelectorAll(".figure-label");
    var texts = [];
    inputs.forEach(function (input) { texts.push(String(input.value || "").trim()); });
    if (texts.every(function (t) { return t === ""; })) return null;
    for (var i = 0; i < texts.length; i++) {
      var label = labels[i] ? labels[i].textContent : "số liệu";
      var text = rule.input === "percent" ? texts[i].replace(/%$/, "").trim() : texts[i];
      if (text === "") return { error: "Nhập cả " + label + "." };
      if (/^[-\u2212]/.test(text)) return { error: label + " “" + texts[i] + "” không được âm." };
      if (rule.input === "count" && !/^\d+$/.test(text)) return { error: label + " “" + texts[i] + "” phải là một số nguyên (ví dụ 3)." };
      if (F.parse(text) === null) return { error: label + " “" + texts[i] + "” không phải là số." };
      texts[i] = text;
    }
    if (rule.input === "pair") {
      var total = F.parse(texts[1]);
      if (total.n === ZERO) return { error: "Mẫu số (" + (labels[1] ? labels[1].textContent : "") + ") bằng 0." };
      return { kind: "ratio", value: F.parse(texts[0]), total: total };
    }
    if (rule.input === "percent") return { kind: "percent", value: F.parse(texts[0]) };
    return { kind: "count", value: F.parse(texts[0]) };
  }

  function update(box, quiet) {
    var rule;
    try { rule = JSON.parse(box.getAttribute("data-rule")); } catch (e) { return; }
    var live = box.querySelector("[data-figure-live]");
    var target = document.getElementById(box.getAttribute("data-score-target"));
    var figure = readFigure(box, rule);
    var result = figure && !figure.error ? F.exactScore(rule, figure) : figure;
    box.classList.toggle("figure-invalid", !!(result && result.error));
    var score = "";
    if (!result) {
      live.textContent = "";
    } else if (result.error) {
      live.textContent = result.error;
    } else {
      score = F.format(F.roundScore(result.value));
      live.textContent = "Điểm tính được: " + score;
    }
    if (quiet || !target) return; // on load the box already shows the stored score
    target.value = score;
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("figure-input")) return;
    var box = input.closest(".figures");
    if (box) update(box);
  });

  function start() {
    document.querySelectorAll(".figures[data-rule]").forEach(function (box) {
      var filled = Array.prototype.some.call(box.querySelectorAll("input.figure-input"), function (i) { return i.value; });
      // A figure the server refused already has its message beside it: don't say it twice.
      var next = box.nextElementSibling;
      var refused = next && next.classList.contains("field-error");
      if (filled && !refused) update(box, true);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
