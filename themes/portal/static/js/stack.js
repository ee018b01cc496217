/* Every page. Phones: a data table whose columns have one header row becomes a stack of cards under 600 px,
and a table of more than ten cards collapses behind its caption (details/summary); a table with an id only
when it has data-collapse="yes".

Each cell gets its column's header as data-label (shown by the stylesheet before the value) and the
table the class "stack". Tables with grouped headers (colspan, several header rows) and tables marked
data-stack="no" keep scrolling sideways inside their region instead. */
(function () {
  "use strict";
  function label(table) {
    var head = table.tHead;
    if (!head || head.rows.length !== 1 || table.getAttribute("data-stack") === "no") { return; }
    var headers = Array.prototype.map.call(head.rows[0].cells, function (th) { return th.textContent.trim(); });
    if (Array.prototype.some.call(head.rows[0].cells, function (th) { return th.colSpan > 1; })) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        if (row.cells.length !== headers.length) { return; }
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (!cell.hasAttribute("data-label")) { cell.setAttribute("data-label", headers[i]); }
        });
      });
    });
    table.classList.add("stack");
  }
  // On a phone a long table of cards is a long scroll: it collapses behind its caption, one tap opens it.
  var LONG = 10;
  function collapse(table) {
    var box = table.closest(".table-scroll") || table;
    var rows = table.tBodies.length ? table.tBodies[0].rows.length : 0;
    if (rows <= LONG || box.closest("details") || !table.caption) { return; }
    var details = document.createElement("details");
    details.className = "table-details";
    var summary = document.createElement("summary");
    var ja = document.documentElement.lang === "ja";
    // why: a table its page's script redraws (it has an id) would keep a stale count; it shows its caption only.
    var count = table.id ? "" : (ja ? "（" + rows + "行）" : " (" + rows + " rows)");
    summary.textContent = table.caption.textContent.trim() + count;
    details.appendChild(summary);
    box.parentNode.insertBefore(details, box);
    details.appendChild(box);
  }
  var tables = Array.prototype.slice.call(document.querySelectorAll("main table"));
  tables.forEach(label);
  if (window.matchMedia && window.matchMedia("(max-width: 37.5rem)").matches) {
    // why: a table with an id is a link target or is redrawn by its page's script; it collapses only when it
    // says so (data-collapse="yes", e.g. the map page's table of cells).
    tables.forEach(function (table) {
      if (table.classList.contains("stack") && (!table.id || table.getAttribute("data-collapse") === "yes")) {
        collapse(table);
      }
    });
  }
  window.mierukaStack = label;

  // a link to something inside a collapsed section opens the section
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    if (target) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  if (window.location.hash.length > 1) { reveal(); }
})();
