// goallint --format html: unfold tables on demand, filter by severity, rule and department. Plain JavaScript,
// no build step, no requests: each file's tables sit, as HTML escaped when it was written, in a gzipped
// base64 block of JSON (script.table-data), unpacked with DecompressionStream on the first unfold.
(function () {
  "use strict";
  var unpacked = {}; // file index → promise of {table key: html}, made on the first unfold in that file
  var rule = document.getElementById("filter-rule");
  var department = document.getElementById("filter-department");
  var filters = document.getElementById("filters");

  function tablesOf(file) {
    if (!unpacked[file]) {
      var block = document.querySelector("script.table-data[data-file='" + file + "']");
      var binary = atob(block.textContent.trim());
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      unpacked[file] = new Response(stream).text().then(JSON.parse);
    }
    return unpacked[file];
  }

  function severityOn(severity) {
    return filters.querySelector(".filter-severity[value=" + severity + "]").checked;
  }

  function wanted(severity, id) {
    return severityOn(severity) && (!rule.value || rule.value === id);
  }

  function draw(details) {
    var body = details.querySelector(".table-body");
    if (body.dataset.drawn) { return; }
    body.dataset.drawn = "1";
    tablesOf(details.dataset.file).then(function (tables) {
      body.innerHTML = tables[details.dataset.key] || "";
      applyWithin(body);
      details.classList.add("drawn");
    });
  }

  function applyWithin(root) {
    goallintMarks(root, wanted);
  }

  function apply() {
    document.querySelectorAll("details.table-entry").forEach(function (details) {
      var rules = details.dataset.rules ? details.dataset.rules.split(" ") : [];
      var severities = details.dataset.severities.trim() ? details.dataset.severities.trim().split(" ") : [];
      var show = (!department.value || details.dataset.department === department.value) &&
        (!rule.value || rules.indexOf(rule.value) >= 0) &&
        (severities.length === 0 ? !rule.value : severities.some(severityOn));
      details.hidden = !show;
    });
    document.querySelectorAll("section.file").forEach(function (section) {
      var entries = section.querySelectorAll("details.table-entry");
      var visible = Array.prototype.some.call(entries, function (d) { return !d.hidden; });
      var loose = Array.prototype.some.call(section.querySelectorAll(":scope > ul.findings > .finding"), function (li) {
        return wanted(li.dataset.severity, li.dataset.rule);
      });
      var inDepartment = !department.value || section.dataset.department === department.value ||
        Array.prototype.some.call(entries, function (d) { return d.dataset.department === department.value; });
      section.hidden = !inDepartment || (entries.length > 0 && !visible && !loose) ||
        (entries.length === 0 && rule.value !== "" && !loose);
    });
    applyWithin(document);
  }

  document.querySelectorAll("details.table-entry").forEach(function (details) {
    details.addEventListener("toggle", function () { if (details.open) { draw(details); } });
  });
  document.querySelectorAll("a.open-table").forEach(function (link) {
    link.addEventListener("click", function () {
      var details = document.getElementById(link.dataset.key);
      if (details) { details.hidden = false; details.open = true; draw(details); }
    });
  });
  document.getElementById("open-all").addEventListener("click", function () {
    document.querySelectorAll("details.table-entry").forEach(function (details) {
      if (!details.hidden) { details.open = true; draw(details); }
    });
  });
  if (location.hash) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === "DETAILS") { target.open = true; draw(target); }
  }
  filters.addEventListener("change", apply);
})();
