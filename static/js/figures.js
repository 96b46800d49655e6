/* ParIndex: the score a declared figure gives under a criterion's rule, computed in the page
 * as the server computes it (assessments/scoring/rules.py): exact fractions (BigInt), then
 * rounded half to even to 4 places (0,5 × 98,49% = 0,49245 → 0,4924). A preview only: the
 * server recomputes and stores the score. Rules come as JSON in a data-rule attribute
 * (Criterion.rule_as_js_dict). Exposes window.ParIndexFigures; no inline script (CSP). */
(function () {
  "use strict";

  var TEN = BigInt(10);
  var ZERO = { n: BigInt(0), d: BigInt(1) };
  var ONE = { n: BigInt(1), d: BigInt(1) };
  var HUNDRED = { n: BigInt(100), d: BigInt(1) };

  function dec(text) {
    // "13,25" or "13.25" -> 1325/100 (exact)
    var s = String(text).replace(",", ".");
    var parts = s.split(".");
    var frac = parts[1] || "";
    var d = BigInt(1);
    for (var i = 0; i < frac.length; i++) d *= TEN;
    return { n: BigInt(parts[0] + frac), d: d };
  }
  function mul(a, b) { return { n: a.n * b.n, d: a.d * b.d }; }
  function div(a, b) { return { n: a.n * b.d, d: a.d * b.n }; }
  function add(a, b) { return { n: a.n * b.d + b.n * a.d, d: a.d * b.d }; }
  function sub(a, b) { return { n: a.n * b.d - b.n * a.d, d: a.d * b.d }; }
  function cmp(a, b) {
    var x = a.n * b.d, y = b.n * a.d;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  // Units of 1/10000, rounded half to even (as decimals.round_score).
  function roundUnits(r) {
    var n = r.n * BigInt(10000), d = r.d;
    if (d < 0) { n = -n; d = -d; }
    var negative = n < 0;
    if (negative) n = -n;
    var q = n / d, rem = n - q * d;
    var twice = rem * BigInt(2);
    if (twice > d || (twice === d && q % BigInt(2) === BigInt(1))) q += BigInt(1);
    return Number(negative ? -q : q);
  }

  function formatUnits(units) {
    var negative = units < 0, abs = Math.abs(units);
    var whole = Math.floor(abs / 10000), frac = String(abs % 10000);
    while (frac.length < 4) frac = "0" + frac;
    frac = frac.replace(/0+$/, "");
    return (negative ? "-" : "") + whole + (frac ? "," + frac : "");
  }

  var NUM = "(\\d+(?:[.,]\\d+)?)";
  var RATIO_TEXT = new RegExp("^" + NUM + "\\s*/\\s*" + NUM + "$");
  var PERCENT_TEXT = new RegExp("^" + NUM + "\\s*%$");

  function places(text) {
    var m = /[.,](\d+)$/.exec(text);
    return m ? m[1].length : 0;
  }

  function parseFigure(text) {
    var original = String(text || "").trim();
    var compact = original.replace(/\u00a0/g, " ").trim();
    if (!compact) return null;
    if (/^[-−]/.test(compact)) throw "số liệu “" + original + "” âm: số liệu không được nhỏ hơn 0";
    var m = RATIO_TEXT.exec(compact);
    if (m) {
      if (places(m[1]) > 4 || places(m[2]) > 4) throw "số liệu “" + original + "” có quá 4 chữ số thập phân";
      var total = dec(m[2]);
      if (total.n === BigInt(0)) throw "số liệu “" + original + "” có mẫu số bằng 0";
      return { kind: "ratio", value: dec(m[1]), total: total };
    }
    m = PERCENT_TEXT.exec(compact);
    if (m) {
      if (places(m[1]) > 4) throw "số liệu “" + original + "” có quá 4 chữ số thập phân";
      return { kind: "percent", value: dec(m[1]) };
    }
    if (/^\d+$/.test(compact)) return { kind: "count", value: dec(compact) };
    throw "“" + original + "” không phải là số liệu: nhập dạng a/b (40/41), phần trăm (98,49%) hoặc số mục (3)";
  }

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

  function share(figure) {
    return figure.kind === "ratio" ? div(figure.value, figure.total) : div(figure.value, HUNDRED);
  }

  /* The score (units of 1/10000) a figure text gives under `rule`; null for no figure.
   * Throws a Vietnamese message for a figure the rule cannot use. */
  function score(rule, text) {
    var accepted = ACCEPTED[rule.kind];
    if (!accepted) return null;
    var figure = parseFigure(text);
    if (figure === null) return null;
    if (accepted.indexOf(figure.kind) < 0) throw "“" + text.trim() + "” không dùng được: tiêu chí này cần " + EXPECTED[accepted[0]];
    if (rule.kind !== "thresholds") {
      if (figure.kind === "ratio" && cmp(figure.value, figure.total) > 0) throw "tử số lớn hơn mẫu số";
      if (figure.kind === "percent" && cmp(figure.value, HUNDRED) > 0) throw "số liệu lớn hơn 100%";
    }
    var max = dec(rule.max), p = rule.parameters || {};
    var exact;
    if (rule.kind === "deduction") {
      var lowest = p.floor != null ? dec(p.floor) : ZERO;
      exact = sub(max, mul(figure.value, dec(p.per_item)));
      if (cmp(exact, lowest) < 0) exact = lowest;
    } else if (rule.kind === "thresholds") {
      var percent = mul(share(figure), HUNDRED);
      exact = ZERO;
      var steps = p.steps || [];
      for (var i = 0; i < steps.length; i++) {
        if (cmp(percent, dec(steps[i][0])) >= 0) { exact = dec(steps[i][1]); break; }
      }
    } else if (rule.kind === "affine") {
      var k = dec(p.base);
      exact = mul(max, add(k, mul(sub(ONE, k), share(figure))));
    } else {
      exact = mul(max, share(figure));
    }
    return roundUnits(exact);
  }

  window.ParIndexFigures = { score: score, formatUnits: formatUnits, parseFigure: parseFigure };
})();
