/* ParIndex entry page: the score a criterion's declared figures give, shown while typing
 * (issue 12). Exact decimal arithmetic on BigInt fractions, rounded half to even to 4 places
 * as the server does (assessments/scoring/rules.py); the server recomputes on save and its
 * result is the one stored. The rule comes as JSON in the figures box's data-rule attribute
 * (Criterion.rule_as_js_dict). Messages are Vietnamese and sit beside the boxes. */
(function () {
  "use strict";

  var TEN = BigInt(10);
  var ZERO = BigInt(0);
  var SCALE = BigInt(10000);

  function frac(num, den) {
    if (den < ZERO) { num = -num; den = -den; }
    return { n: num, d: den };
  }

  // "1,5" / "1.5" / "40" -> a fraction; null when it is not a plain non-negative number.
  function parse(text) {
    var value = String(text == null ? "" : text).replace(/\s|\u00a0/g, "").replace(",", ".");
    if (!/^\d+(\.\d+)?$/.test(value)) return null;
    var parts = value.split(".");
    var decimals = parts[1] || "";
    return frac(BigInt(parts[0] + decimals), TEN ** BigInt(decimals.length));
  }

  function mul(a, b) { return frac(a.n * b.n, a.d * b.d); }
  function add(a, b) { return frac(a.n * b.d + b.n * a.d, a.d * b.d); }
  function sub(a, b) { return frac(a.n * b.d - b.n * a.d, a.d * b.d); }
  function div(a, b) { return frac(a.n * b.d, a.d * b.n); }
  function cmp(a, b) { var x = a.n * b.d, y = b.n * a.d; return x < y ? -1 : x > y ? 1 : 0; }
  var ONE = frac(BigInt(1), BigInt(1));
  var HUNDRED = frac(BigInt(100), BigInt(1));

  // Round half to even to 4 places; the result in ten-thousandths.
  function roundScore(value) {
    var scaled = value.n * SCALE;
    var q = scaled / value.d;
    var r = scaled % value.d;
    if (r < ZERO) { q -= BigInt(1); r += value.d; }
    var twice = r * BigInt(2);
    if (twice > value.d || (twice === value.d && q % BigInt(2) !== ZERO)) q += BigInt(1);
    return q;
  }

  function format(units) {
    var negative = units < ZERO;
    var abs = negative ? -units : units;
    var whole = abs / SCALE;
    var rest = String(abs % SCALE);
    while (rest.length < 4) rest = "0" + rest;
    rest = rest.replace(/0+$/, "");
    return (negative ? "-" : "") + whole + (rest ? "," + rest : "");
  }

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
      if (parse(text) === null) return { error: label + " “" + texts[i] + "” không phải là số." };
      texts[i] = text;
    }
    if (rule.input === "pair") {
      var total = parse(texts[1]);
      if (total.n === ZERO) return { error: "Mẫu số (" + (labels[1] ? labels[1].textContent : "") + ") bằng 0." };
      return { kind: "ratio", value: parse(texts[0]), total: total };
    }
    if (rule.input === "percent") return { kind: "percent", value: parse(texts[0]) };
    return { kind: "count", value: parse(texts[0]) };
  }

  function share(figure) {
    return figure.kind === "ratio" ? div(figure.value, figure.total) : div(figure.value, HUNDRED);
  }

  // The exact score (a fraction) or {error}.
  function exactScore(rule, figure) {
    var max = parse(rule.max);
    var p = rule.parameters || {};
    if (rule.kind !== "thresholds" && rule.kind !== "deduction") {
      if (figure.kind === "ratio" && cmp(figure.value, figure.total) > 0) return { error: "Tử số lớn hơn mẫu số." };
      if (figure.kind === "percent" && cmp(figure.value, HUNDRED) > 0) return { error: "Tỷ lệ lớn hơn 100%." };
    }
    switch (rule.kind) {
      case "ratio":
      case "percentage":
      case "weighted":
        return { value: mul(max, share(figure)) };
      case "affine":
        var k = parse(p.base);
        return { value: mul(max, add(k, mul(sub(ONE, k), share(figure)))) };
      case "thresholds":
        var percent = mul(share(figure), HUNDRED);
        var steps = p.steps || [];
        for (var i = 0; i < steps.length; i++) {
          if (cmp(percent, parse(steps[i][0])) >= 0) return { value: parse(steps[i][1]) };
        }
        return { value: frac(ZERO, BigInt(1)) };
      case "deduction":
        var left = sub(max, mul(figure.value, parse(p.per_item)));
        var floor = p.floor ? parse(p.floor) : frac(ZERO, BigInt(1));
        return { value: cmp(left, floor) < 0 ? floor : left };
    }
    return { error: "Tiêu chí này nhập điểm trực tiếp." };
  }

  function update(box, quiet) {
    var rule;
    try { rule = JSON.parse(box.getAttribute("data-rule")); } catch (e) { return; }
    var live = box.querySelector("[data-figure-live]");
    var target = document.getElementById(box.getAttribute("data-score-target"));
    var figure = readFigure(box, rule);
    var result = figure && !figure.error ? exactScore(rule, figure) : figure;
    box.classList.toggle("figure-invalid", !!(result && result.error));
    var score = "";
    if (!result) {
      live.textContent = "";
    } else if (result.error) {
      live.textContent = result.error;
    } else {
      score = format(roundScore(result.value));
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

  window.ParIndexFigures = { parse: parse, roundScore: roundScore, format: format, exactScore: exactScore };
})();
