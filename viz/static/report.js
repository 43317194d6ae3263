/* scn-graph report page: sortable tables, a filter for the findings, print. */
(function () {
  "use strict";
  function cellValue(row, i, type) {
    var cell = row.cells[i];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-v");
    if (type === "num") {
      var x = parseFloat(v !== null ? v : cell.textContent.replace(/,/g, ""));
      return isNaN(x) ? -Infinity : x;
    }
    return (v !== null ? v : cell.textContent).trim().toLowerCase();
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      th.setAttribute("tabindex", "0");
      function sort() {
        var type = th.getAttribute("data-type") || "text";
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i, type), y = cellValue(b, i, type);
          var c = x < y ? -1 : x > y ? 1 : 0;
          return asc ? c : -c;
        });
        var frag = document.createDocumentFragment();
        rows.forEach(function (r) { frag.appendChild(r); });
        body.appendChild(frag);
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { sort(); } });
    });
  });
  var filter = document.getElementById("findings-filter");
  var table = document.getElementById("findings-table");
  var count = document.getElementById("findings-count");
  function refilter() {
    if (!table) { return; }
    var q = filter ? filter.value.trim().toLowerCase() : "";
    var shown = 0, rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (r) {
      var ok = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
      r.style.display = ok ? "" : "none";
      if (ok) { shown++; }
    });
    if (count) { count.textContent = shown + " of " + rows.length + " rows"; }
    document.body.dataset.findingRows = String(shown);
  }
  if (filter) { filter.addEventListener("input", refilter); }
  refilter();
  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
})();
