/* Progress page: draw each agency's filled/total bar from data attributes (no inline style). */
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll(".meter-bar[data-total]").forEach(function (bar) {
      var total = parseInt(bar.getAttribute("data-total"), 10) || 0;
      var filled = parseInt(bar.getAttribute("data-filled"), 10) || 0;
      bar.style.width = (total ? Math.round((filled * 100) / total) : 0) + "%";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
