// goallint: show the findings a filter wants and mark each cell with the worst of them; shared by goallint serve
// (base.html loads it before app.js) and the HTML report (report/html.py inlines it before report.js).
// Plain JavaScript, no build step.
var goallintMarks = (function () {
  "use strict";
  var RANK = { info: 0, warning: 1, error: 2 };

  // under `root`: hide the findings `wanted(severity, rule id)` refuses; mark each [data-marks] cell
  // ("severity:rule" tokens) with the worst severity wanted
  return function (root, wanted) {
    root.querySelectorAll(".finding").forEach(function (li) {
      li.hidden = !wanted(li.dataset.severity, li.dataset.rule);
    });
    root.querySelectorAll("[data-marks]").forEach(function (cell) {
      var worst = null;
      cell.dataset.marks.split(" ").forEach(function (token) {
        if (!token) { return; }
        var parts = token.split(":");
        if (wanted(parts[0], parts[1]) && (worst === null || RANK[parts[0]] > RANK[worst])) { worst = parts[0]; }
      });
      cell.classList.remove("mark-error", "mark-warning", "mark-info");
      if (worst) { cell.classList.add("mark-" + worst); }
    });
  };
})();
