/* ParIndex: the score declared figures give under a criterion's rule, computed in the page as
 * the server computes it (assessments/scoring/rules.py): exact fractions on BigInt, then rounded
 * half to even to 4 places (0,5 × 98,49% = 0,49245 → 0,4924). A preview only: the server
 * recomputes and stores the score. The one copy of this arithmetic, used by the entry page
 * (entry-figures.js: figures typed in separate boxes) and the appraisal page (appraisal.js: a
 * corrected figure typed as "38/41", "98,49%" or "3"), and of a score box's reading and
 * writing for the pages' live totals (entry.js, appraisal.js). Rules come as JSON in a data-rule
 * attribute (Criterion.rule_as_js_dict). Messages are Vietnamese. No inline script (CSP). */
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
  var NONE = frac(ZERO, BigInt(1));
  var ONE = frac(BigInt(1), BigInt(1));
  var HUNDRED = frac(BigInt(100), BigInt(1));

  // Round half to even to 4 places (as decimals.round_score); the result in ten-thousandths.
  function roundScore(value) {
    var scaled = value.n * SCALE;
    var q = scaled / value.d;
    var r = scaled % value.d;
    if (r < ZERO) { q -= BigInt(1); r += value.d; }
    var twice = r * BigInt(2);
    if (twice > value.d || (twice === value.d && q % BigInt(2) !== ZERO)) q += BigInt(1);
    return q;
  }

  // Ten-thousandths (BigInt) -> "0,9388" (decimal comma, no trailing zeros).
  function format(units) {
    var negative = units < ZERO;
    var abs = negative ? -units : units;
    var whole = abs / SCALE;
    var rest = String(abs % SCALE);
    while (rest.length < 4) rest = "0" + rest;
    rest = rest.replace(/0+$/, "");
    return (negative ? "-" : "") + whole + (rest ? "," + rest : "");
  }

  function formatUnits(units) { return format(BigInt(units)); }

  // A score box's text ("0,9388", "0.9388", "" for none) -> ten-thousandths (a Number: 0 for
  // a blank box, null when it is not a score of at most 4 decimals). Sums of the page's
  // totals are kept in these units, so that they add up exactly.
  function scoreUnits(text) {
    var value = String(text || "").replace(/\s|\u00a0/g, "");
    if (value === "") return 0;
    if (!/^(\d+([.,]\d{0,4})?|[.,]\d{1,4})$/.test(value)) return null;
    return Math.round(parseFloat(value.replace(",", ".")) * 10000);
  }

  function share(figure) {
    return figure.kind === "ratio" ? div(figure.value, figure.total) : div(figure.value, HUNDRED);
  }

  // The exact score (a fraction) a figure {kind: "ratio"|"percent"|"count", value, total}
  // gives under the rule: {value} or {error}.
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
        return { value: NONE };
      case "deduction":
        var left = sub(max, mul(figure.value, parse(p.per_item)));
        var floor = p.floor ? parse(p.floor) : NONE;
        return { value: cmp(left, floor) < 0 ? floor : left };
    }
    return { error: "Tiêu chí này nhập điểm trực tiếp." };
  }

  // --- a figure typed in one box (the appraisal page): "38/41", "98,49%" or "3" ---

  var NUM = "(\\d+(?:[.,]\\d+)?)";
  var RATIO_TEXT = new RegExp("^" + NUM + "\\s*/\\s*" + NUM + "$");
  var PERCENT_TEXT = new RegExp("^" + NUM + "\\s*%$");
  var ACCEPTED = {
    ratio: ["ratio", "percent"],
    percentage: ["percent", "ratio"],
    affine: ["percent", "ratio"],
    weighted: ["ratio"],
    thresholds: ["percent", "ratio"],
    deduction: ["count"],
  };
  var EXPECTED = {
    ratio: "hai số a/b (ví dụ 40/41)",
    percent: "một tỷ lệ phần trăm (ví dụ 98,49%)",
    count: "một số mục (số nguyên, ví dụ 3)",
  };

  function places(text) {
    var m = /[.,](\d+)$/.exec(text);
    return m ? m[1].length : 0;
  }

  // A figure, null for an empty box; throws a Vietnamese message for text that is not one.
  function parseFigure(text) {
    var original = String(text || "").trim();
    var compact = original.replace(/\u00a0/g, " ").trim();
    if (!compact) return null;
    if (/^[-\u2212]/.test(compact)) throw "Số liệu “" + original + "” âm: số liệu không được nhỏ hơn 0.";
    var m = RATIO_TEXT.exec(compact);
    if (m) {
      if (places(m[1]) > 4 || places(m[2]) > 4) throw "Số liệu “" + original + "” có quá 4 chữ số thập phân.";
      var total = parse(m[2]);
      if (total.n === ZERO) throw "Số liệu “" + original + "” có mẫu số bằng 0.";
      return { kind: "ratio", value: parse(m[1]), total: total };
    }
    m = PERCENT_TEXT.exec(compact);
    if (m) {
      if (places(m[1]) > 4) throw "Số liệu “" + original + "” có quá 4 chữ số thập phân.";
      return { kind: "percent", value: parse(m[1]) };
    }
    if (/^\d+$/.test(compact)) return { kind: "count", value: parse(compact) };
    throw "“" + original + "” không phải là số liệu: nhập dạng a/b (40/41), phần trăm (98,49%) hoặc số mục (3).";
  }

  // The score (a Number of ten-thousandths) a figure text gives under `rule`; null for no
  // figure or a rule without figures. Throws a Vietnamese message for a figure it cannot use.
  function score(rule, text) {
    var accepted = ACCEPTED[rule.kind];
    if (!accepted) return null;
    var figure = parseFigure(text);
    if (figure === null) return null;
    if (accepted.indexOf(figure.kind) < 0) {
      throw "“" + String(text).trim() + "” không dùng được: tiêu chí này cần " + EXPECTED[accepted[0]] + ".";
    }
    var result = exactScore(rule, figure);
    if (result.error) throw result.error;
    return Number(roundScore(result.value));
  }

  window.ParIndexFigures = {
    parse: parse,
    roundScore: roundScore,
    format: format,
    formatUnits: formatUnits,
    scoreUnits: scoreUnits,
    exactScore: exactScore,
    score: score,
  };
})();
