/* Cases index: the search form opens the chosen body's cases list with the words in its URL (?q=…),
where the list's own filter finds them in the town, category and description of every report. */
(function () {
  "use strict";
  var form = document.getElementById("case-search");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = String(form.elements.q.value || "").trim();
    window.location.href = form.elements.body.value + ".html" + (q ? "?q=" + encodeURIComponent(q) : "");
  });
  form.hidden = false;
})();
