/* Cases list: filters the body's static JSON and renders rows with textContent only (never innerHTML).

The cases come in files per fiscal year (newest first), each cut into parts. The page loads the first
part only; a filter or the search loads the years it needs, and "more" loads the next part. */
(function () {
  "use strict";
  var configNode = document.getElementById("cases-config");
  var form = document.getElementById("case-filters");
  var table = document.getElementById("cases-table");
  if (!configNode || !form || !table) { return; }
  var config = JSON.parse(configNode.textContent);
  var body = table.querySelector("tbody");
  var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); });
  var count = document.getElementById("case-count");
  var more = document.getElementById("case-more");
  var slice = document.getElementById("case-slice");
  var parts = config.files.map(function (f) { return { fy: String(f.fy), src: config.base + f.file, n: f.n }; });
  var loaded = {};   // src -> promise of rows
  var prefix = 1;    // parts shown, in order, while no filter is set
  var matched = [], shown = 0, total = 0, filtering = false, token = 0;
  // why: on a phone a row is a card about 250 px tall; fewer per screenful keeps the page short
  var perPage = window.matchMedia && window.matchMedia("(max-width: 37.5rem)").matches
    ? Math.min(20, config.perPage) : config.perPage;
  var STATE = ["category", "status", "period", "town", "cell", "q"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  function load(part) {
    if (!loaded[part.src]) {
      loaded[part.src] = fetch(part.src).then(function (r) {
        if (!r.ok) { throw new Error(part.src); }
        return r.json();
      }).then(function (data) {
        return data.rows.map(function (values) {
          var row = {};
          data.columns.forEach(function (name, i) { row[name] = values[i]; });
          return row;
        });
      });
    }
    return loaded[part.src];
  }
  function loadAll(list) {
    return Promise.all(list.map(load)).then(function (lists) { return [].concat.apply([], lists); });
  }
  function day(iso) {
    if (!iso) { return "—"; }
    var p = iso.split("-");
    if (config.lang === "ja") { return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日"; }
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }
  function cell(tr, text, className, ja) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    td.setAttribute("data-label", heads[tr.cells.length]);
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
  function split(period) {
    var at = period.indexOf(":");
    return { kind: period.slice(0, at), value: period.slice(at + 1) };
  }
  function fiscalYear(period) {
    // the fiscal year a period filter needs (April to March), or null for every year
    if (!period) { return null; }
    var p = split(period);
    if (p.kind === "fy") { return p.value; }
    var year = Number(p.value.slice(0, 4)), month = Number(p.value.slice(5, 7));
    return String(month >= 4 ? year : year - 1);
  }
  function keep(row, f) {
    if (f.category && row.category !== f.category) { return false; }
    if (f.status && row.status !== f.status) { return false; }
    if (f.town && row.town !== f.town) { return false; }
    if (f.cell && row.mesh_code !== f.cell) { return false; }
    if (f.period) {
      var p = split(f.period);
      if (p.kind === "fy" && String(row.fiscal_year) !== p.value) { return false; }
      if (p.kind === "m" && row.requested_date.slice(0, 7) !== p.value) { return false; }
    }
    if (f.terms.length) {
      // substring matching: Japanese has no spaces between words, so every term is looked for anywhere
      var hay = fold([row.description, row.status_detail, row.town, row.category, row.status,
        config.category[row.category] || "", config.status[row.status] || "", row.service_request_id].join(" "));
      for (var i = 0; i < f.terms.length; i += 1) {
        if (hay.indexOf(f.terms[i]) < 0) { return false; }
      }
    }
    return true;
  }
  function render(reset) {
    if (reset) { while (body.firstChild) { body.removeChild(body.firstChild); } shown = 0; }
    var next = matched.slice(shown, shown + perPage);
    next.forEach(function (row) {
      var tr = document.createElement("tr");
      var td = document.createElement("td");
      td.setAttribute("data-label", heads[0]);
      var link = document.createElement("a");
      link.href = config.caseBase + "#" + row.service_request_id;
      var time = document.createElement("time");
      time.dateTime = row.requested_date;
      time.textContent = day(row.requested_date);
      link.appendChild(time);
      td.appendChild(link);
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
    count.textContent = config.countText.replace("{total}", total.toLocaleString())
      .replace("{shown}", shown.toLocaleString());
    more.hidden = shown >= total;
    slice.hidden = !filtering || !matched.length;
  }
  function fold(text) {
    // full-width and half-width forms, case and katakana/hiragana read the same
    return String(text || "").normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0x60);
    });
  }
  function read() {
    var data = new FormData(form);
    var q = String(data.get("q") || "");
    return { category: data.get("category"), status: data.get("status"), period: data.get("period"),
      town: data.get("town"), cell: String(data.get("cell") || "").trim(), q: q.trim(), terms: fold(q).split(/\s+/).filter(Boolean) };
  }
  function query(f) {
    // the filters as the page's query string, in a fixed order (a shareable link)
    var params = new URLSearchParams();
    STATE.forEach(function (name) { if (f[name]) { params.set(name, f[name]); } });
    var text = params.toString();
    return text ? "?" + text : window.location.pathname.split("/").pop();
  }
  function fromUrl() {
    // the form as the URL says; values the page does not offer are ignored
    var params = new URLSearchParams(window.location.search);
    STATE.forEach(function (name) {
      var field = form.elements[name], value = params.get(name) || "";
      if (field.tagName === "SELECT" && value && !Array.prototype.some.call(field.options,
        function (o) { return o.value === value; })) { value = ""; }
      field.value = value;
    });
  }
  function remember(push) {
    var next = query(read());
    if (next === query(readUrl())) { return; }
    if (push) { window.history.pushState(null, "", next); } else { window.history.replaceState(null, "", next); }
    keepInSwitch();
  }
  function keepInSwitch() {
    // the other language's page opens with the same filters
    var other = document.querySelector("a.lang-switch");
    if (other) { other.href = other.href.split("?")[0] + window.location.search; }
  }
  function readUrl() {
    var params = new URLSearchParams(window.location.search), f = {};
    STATE.forEach(function (name) { f[name] = params.get(name) || ""; });
    return f;
  }
  function update() {
    var f = read(), mine = ++token;
    filtering = Boolean(f.category || f.status || f.period || f.town || f.cell || f.terms.length);
    var year = fiscalYear(f.period);
    var wanted = filtering ? parts.filter(function (p) { return year === null || p.fy === year; })
      : parts.slice(0, prefix);
    return loadAll(wanted).then(function (rows) {
      if (mine !== token) { return; }
      matched = filtering ? rows.filter(function (row) { return keep(row, f); }) : rows;
      total = filtering ? matched.length : config.total;
      render(true);
    });
  }
  function showMore() {
    if (filtering || shown + perPage <= matched.length || prefix >= parts.length) {
      render(false);
      return;
    }
    var mine = token;
    load(parts[prefix]).then(function (rows) {
      if (mine !== token) { return; }
      prefix += 1;
      matched = matched.concat(rows);
      render(false);
    });
  }
  function csvCell(value) {
    var text = String(value === null || value === undefined ? "" : value);
    // a cell that a spreadsheet would read as a formula starts with an apostrophe, as in the packages
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function saveCsv() {
    var columns = config.columns;
    var lines = [columns.join(",")].concat(matched.map(function (row) {
      return columns.map(function (name) { return csvCell(row[name]); }).join(",");
    }));
    var blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = config.csvName;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }
  if (!parts.length) { return; }
  fromUrl();
  update().then(function () {
    form.hidden = false;
    // typing replaces the history entry, a chosen filter adds one: back undoes a choice, not a letter
    form.addEventListener("input", function (e) { remember(e.target.name !== "q"); update(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); remember(true); update(); });
    window.addEventListener("popstate", function () { fromUrl(); keepInSwitch(); update(); });
    keepInSwitch();
    more.addEventListener("click", showMore);
    document.getElementById("case-csv").addEventListener("click", saveCsv);
  }).catch(function () { /* the server-rendered first page stays */ });
})();
