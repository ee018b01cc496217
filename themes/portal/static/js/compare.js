/* Compare page: choose 2 to 4 bodies; unchecked bodies' columns are hidden (the all-bodies column always
   shows). Without JS all columns show. */
(function () {
  "use strict";
  var form = document.getElementById("body-picker");
  if (!form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=body]"));
  var MIN = 2, MAX = 4;
  function apply() {
    var chosen = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    boxes.forEach(function (b) {
      b.disabled = (!b.checked && chosen.length >= MAX) || (b.checked && chosen.length <= MIN);
    });
    document.querySelectorAll("[data-body]").forEach(function (cell) {
      var body = cell.getAttribute("data-body");
      cell.classList.toggle("is-hidden", body !== "all" && chosen.indexOf(body) < 0);
    });
  }
  form.hidden = false;
  form.addEventListener("change", apply);
  apply();
})();
