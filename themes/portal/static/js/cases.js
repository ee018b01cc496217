/* Cases list: filters the body's static JSON and renders rows with textContent only (never innerHTML). */
(function () {
  "use strict";
  var configNode = document.getElementById("cases-config");
  var form = document.getElementById("case-filters");
  var table = document.getElementById("cases-table");
  if (!configNode || !form || !table) { return; }
  var config = JSON.parse(configNode.textContent);
  var body = table.querySelector("tbody");
  var count = document.getElementById("case-count");
  var more = document.getElementById("case-more");
  var rows = [], matched = [], shown = 0;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  function day(iso) {
    if (!iso) { return "—"; }
    var p = iso.split("-");
    if (config.lang === "ja") { return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日"; }
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }
  function cell(tr, text, className, ja) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    if (text) {
      var span = document.createElement("span");
      if (ja && config.lang !== "ja") { span.lang = "ja"; }
      span.textContent = text;
      td.appendChild(span);
    } else {
      td.textContent = "—";
    }
    tr.appendChild(td);
  }
  function keep(row, f) {
    if (f.category && row.category !== f.category) { return false; }
    if (f.status && row.status !== f.status) { return false; }
    if (f.town && row.town !== f.town) { return false; }
    if (f.period) {
      var kind = f.period.slice(0, f.period.indexOf(":")), value = f.period.slice(f.period.indexOf(":") + 1);
      if (kind === "fy" && String(row.fiscal_year) !== value) { return false; }
      if (kind === "m" && row.requested_date.slice(0, 7) !== value) { return false; }
    }
    if (f.q) {
      var hay = [row.description, row.status_detail, row.town, config.category[row.category] || "",
        config.status[row.status] || ""].join(" ").toLowerCase();
      if (hay.indexOf(f.q) < 0) { return false; }
    }
    return true;
  }
  function render(reset) {
    if (reset) { while (body.firstChild) { body.removeChild(body.firstChild); } shown = 0; }
    var next = matched.slice(shown, shown + config.perPage);
    next.forEach(function (row) {
      var tr = document.createElement("tr");
      var td = document.createElement("td");
      var time = document.createElement("time");
      time.dateTime = row.requested_date;
      time.textContent = day(row.requested_date);
      td.appendChild(time);
      tr.appendChild(td);
      cell(tr, config.category[row.category] || row.category);
      cell(tr, config.status[row.status] || row.status);
      cell(tr, row.town, "", true);
      cell(tr, row.description, "text", true);
      cell(tr, row.status_detail, "text", true);
      body.appendChild(tr);
    });
    shown += next.length;
    if (!matched.length) {
      var empty = document.createElement("tr"), td2 = document.createElement("td");
      td2.colSpan = 6;
      td2.textContent = config.noneText;
      empty.appendChild(td2);
      body.appendChild(empty);
    }
    count.textContent = config.countText.replace("{total}", matched.length.toLocaleString())
      .replace("{shown}", shown.toLocaleString());
    more.hidden = shown >= matched.length;
  }
  function update() {
    var data = new FormData(form);
    var f = { category: data.get("category"), status: data.get("status"), period: data.get("period"),
      town: data.get("town"), q: String(data.get("q") || "").trim().toLowerCase() };
    matched = rows.filter(function (row) { return keep(row, f); });
    render(true);
  }
  fetch(config.src).then(function (r) { return r.json(); }).then(function (data) {
    rows = data;
    form.hidden = false;
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
    more.addEventListener("click", function () { render(false); });
    update();
  }).catch(function () { /* the server-rendered first page stays */ });
})();
