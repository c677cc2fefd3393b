// goallint serve: drop zone, fiscal-year prefill, result filters. Plain JavaScript, no build step.
(function () {
  "use strict";

  function formOf(el) { return el.closest("form"); }

  // ---------------------------------------------------------------- upload form
  document.querySelectorAll("form.check-form").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var drop = form.querySelector(".drop");
    var list = form.querySelector(".chosen");
    var year = form.querySelector("input[name=fiscal_year]");
    var yearTouched = !!year.value;
    year.addEventListener("input", function () { yearTouched = true; });

    var years = {};

    function show(files) {
      list.innerHTML = "";
      years = {};
      Array.prototype.forEach.call(files, function (file) {
        var li = document.createElement("li");
        li.textContent = file.name + "（" + Math.max(1, Math.round(file.size / 1024)) + " KB）";
        list.appendChild(li);
        inspect(file, li);
      });
    }

    // ask the server what the file holds: prefill the fiscal year, show a reader error at once
    function inspect(file, li) {
      var data = new FormData();
      data.append("files", file, file.name);
      fetch("/api/inspect", { method: "POST", body: data })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          var found = body.files ? body.files[0] : body;
          if (found.error) {
            li.classList.add("bad");
            li.textContent += " — " + found.error;
          } else {
            li.textContent += " — " + found.tables + " 张表" + (found.fiscal_year ? "，" + found.fiscal_year + " 年度" : "");
            if (found.fiscal_year) { years[found.fiscal_year] = true; }
            // prefill only when the chosen files agree on one year
            var distinct = Object.keys(years);
            if (!yearTouched) { year.value = distinct.length === 1 ? distinct[0] : ""; }
          }
        })
        .catch(function () {});
    }

    input.addEventListener("change", function () { show(input.files); });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        show(input.files);
      }
    });
    form.addEventListener("submit", function () {
      // a year only prefilled from the files is left to the server, which reads each file's own year
      if (!yearTouched) { year.value = ""; }
      form.querySelector(".busy").hidden = false;
      form.querySelector("button[type=submit]").disabled = true;
    });
  });

  // ---------------------------------------------------------------- result filters
  var filters = document.getElementById("filters");
  if (!filters) { return; }
  var rule = document.getElementById("filter-rule");

  function wanted(severity, id) {
    var sev = filters.querySelector(".filter-severity[value=" + severity + "]");
    return sev.checked && (!rule.value || rule.value === id);
  }

  function apply() {
    goallintMarks(document, wanted);
  }

  filters.addEventListener("change", apply);
})();
