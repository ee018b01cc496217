/* Map page: the filters (category, status, fiscal year) live in the page's query string; the map document
in the iframe gets the same query and recounts itself, and the table below it is recounted here from the
same counts (textContent only). */
(function () {
  "use strict";
  var node = document.getElementById("map-data");
  var form = document.getElementById("map-filters");
  var frame = document.getElementById("map-frame");
  var table = document.getElementById("map-table");
  if (!node || !form || !frame || !table) { return; }
  var config = JSON.parse(node.textContent);
  var facts = config.data.facts;
  var count = document.getElementById("map-count");
  var casesLink = document.getElementById("map-cases-link");
  var STATE = ["category", "status", "period"];
  var numbers = new Intl.NumberFormat(config.lang === "ja" ? "ja-JP" : "en-GB");

  function read() {
    var data = new FormData(form), f = {};
    STATE.forEach(function (k) { f[k] = String(data.get(k) || ""); });
    f.year = f.period.indexOf("fy:") === 0 ? f.period.slice(3) : "";
    return f;
  }
  function query(f, extra) {
    var params = new URLSearchParams();
    Object.keys(extra || {}).forEach(function (k) { params.set(k, extra[k]); });
    STATE.forEach(function (k) { if (f[k]) { params.set(k, f[k]); } });
    return params.toString();
  }
  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    STATE.forEach(function (name) {
      var field = form.elements[name], value = params.get(name) || "";
      if (value && !Array.prototype.some.call(field.options, function (o) { return o.value === value; })) {
        value = "";
      }
      field.value = value;
    });
  }
  function status(r) { return config.kind === "body" ? config.data.statuses[r[3]] : r[3]; }
  function kept(r, f) {
    return !((f.year && String(r[1]) !== f.year) || (f.category && r[2] !== f.category) ||
             (f.status && status(r) !== f.status));
  }
  function link(a, base, f, extra) {
    var text = query(f, extra);
    a.setAttribute("href", base + (text ? "?" + text : ""));
  }
  function update() {
    var f = read(), sums = {}, unlocated = 0, total = 0, places = 0;
    facts.forEach(function (r) {
      if (!kept(r, f)) { return; }
      if (config.kind === "body" && r[0] < 0) { unlocated += r[4]; return; }
      sums[r[0]] = (sums[r[0]] || 0) + r[4];
      total += r[4];
    });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      var key = config.kind === "body" ? tr.getAttribute("data-index") : tr.getAttribute("data-code");
      if (key === null) { return; }
      var n = sums[key] || 0;
      tr.cells[config.kind === "body" ? 2 : 1].textContent = numbers.format(n);
      if (config.kind === "body") {
        tr.hidden = n === 0;
        if (n > 0) { places += 1; }
        link(tr.querySelector("a"), config.casesUrl, f, {cell: config.data.cells[Number(key)][0]});
      } else {
        link(tr.cells[2].querySelector("a"), tr.getAttribute("data-code") + ".html", f);
      }
    });
    count.textContent = config.kind === "body"
      ? config.countText.replace("{n}", numbers.format(total)).replace("{cells}", numbers.format(places))
        .replace("{unlocated}", numbers.format(unlocated))
      : config.totalText.replace("{n}", numbers.format(total));
    if (casesLink) { link(casesLink, config.casesUrl, f); }
    var src = frame.getAttribute("data-src"), text = query(f);
    var next = src + (text ? "?" + text : "");
    if (frame.getAttribute("src") !== next) {
      // why: a new frame element, not a new src: navigating the frame would add an entry to the session
      // history, and the Back button would then step the map back instead of the page's filters
      var fresh = frame.cloneNode(false);
      fresh.setAttribute("src", next);
      frame.parentNode.replaceChild(fresh, frame);
      frame = fresh;
    }
  }
  function remember(push) {
    var text = query(read());
    var next = text ? "?" + text : window.location.pathname.split("/").pop();
    if (next === (window.location.search || window.location.pathname.split("/").pop())) { return; }
    if (push) { window.history.pushState(null, "", next); } else { window.history.replaceState(null, "", next); }
    var other = document.querySelector("a.lang-switch");
    if (other) { other.href = other.href.split("?")[0] + window.location.search; }
  }
  fromUrl();
  form.hidden = false;
  update();
  var other = document.querySelector("a.lang-switch");
  if (other) { other.href = other.href.split("?")[0] + window.location.search; }
  form.addEventListener("change", function () { remember(true); update(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("popstate", function () { fromUrl(); update(); });
})();
