/* Case view: the case named by the URL's hash (#c-…), read from the body's static case files.

The file that holds a case is named by the first hex digits of its pseudonym, so the page needs no
index. Everything is written with textContent (never innerHTML): the notes are residents' and staff's words. */
(function () {
  "use strict";
  var configNode = document.getElementById("case-config");
  if (!configNode) { return; }
  var config = JSON.parse(configNode.textContent);
  var L = config.labels, T = config.text, F = config.fields;
  var box = document.getElementById("case");
  var message = document.getElementById("case-message");
  var title = document.getElementById("case-title");
  var defaultTitle = title.textContent;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var cache = {};

  function day(iso) {
    if (!iso) { return "—"; }
    var p = iso.split("-");
    if (config.lang === "ja") { return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日"; }
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }
  function yen(value) {
    if (value === "" || value === null || value === undefined) { return "—"; }
    var n = Number(value).toLocaleString("en-US");
    return config.lang === "ja" ? n + "円" : "¥" + n;
  }
  function label(kind, code) { return code ? ((L[kind] || {})[code] || code) : ""; }
  function el(name, text, className) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }
  function jaText(text) {
    // residents' and staff's words stay Japanese on the English pages
    var span = el("span", text);
    if (config.lang !== "ja") { span.lang = "ja"; }
    return span;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function shardOf(id) {
    return /^c-[0-9a-f]+$/.test(id) && id.length >= 2 + config.digits ? id.slice(2, 2 + config.digits) : "other";
  }
  function load(shard) {
    if (!cache[shard]) {
      cache[shard] = fetch(config.base + shard + ".json").then(function (r) {
        if (r.status === 404) { return { cases: {}, contracts: {} }; }
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      });
    }
    return cache[shard];
  }
  function fact(list, name, value, ja) {
    if (!value) { return; }
    list.appendChild(el("dt", name));
    var dd = el("dd");
    dd.appendChild(ja ? jaText(value) : document.createTextNode(value));
    list.appendChild(dd);
  }
  function dayCard(list, name, days, done) {
    var card = el("div", null, "card");
    card.appendChild(el("dt", name));
    var dd = el("dd");
    if (days === null || days === undefined) {
      dd.textContent = done ? "—" : T.open;
    } else {
      dd.appendChild(document.createTextNode(String(days)));
      dd.appendChild(el("span", T.days.replace("{n}", "").trim(), "unit"));
    }
    card.appendChild(dd);
    list.appendChild(card);
  }
  function cell(tr, text, header, className) {
    var td = el("td", text === "" || text === undefined ? "—" : text, className);
    td.setAttribute("data-label", header);
    tr.appendChild(td);
    return td;
  }
  function show(id, data) {
    var values = data.cases[id];
    if (!values) { showMessage(T.notFound); return; }
    var c = {};
    data.fields["case"].forEach(function (name, i) { c[name] = values[i]; });
    var category = label("category", c.category);
    title.textContent = T.title.replace("{date}", day(c.requested_date)).replace("{category}", category);
    document.title = title.textContent + " | " + document.title.split(" | ").pop();
    document.getElementById("case-id").textContent = id;

    var facts = document.getElementById("case-facts");
    clear(facts);
    fact(facts, F.requested_date, day(c.requested_date));
    fact(facts, F.category, category);
    fact(facts, F.status, label("status", c.status));
    fact(facts, F.town, c.town, true);
    fact(facts, F.mesh_level, label("mesh_level", c.mesh_level));
    fact(facts, F.channel, label("channel", c.channel));
    fact(facts, F.road_administrator, label("road_administrator", c.road_administrator));
    if (c.description) { fact(facts, F.description, c.description, true); }
    else if (c.description_status && c.description_status !== "empty") {
      fact(facts, F.description, label("description_status", c.description_status) + " " + T.withheld);
    }
    fact(facts, F.status_detail, c.status_detail, true);
    fact(facts, F.resolution, label("resolution", c.resolution));
    fact(facts, F.decline_reason, label("decline_reason", c.decline_reason));
    fact(facts, F.referred_to, label("referred_to", c.referred_to));
    fact(facts, F.first_response_date, c.first_response_date ? day(c.first_response_date) : "");
    fact(facts, F.closed_date, c.closed_date ? day(c.closed_date) : "");

    var days = document.getElementById("case-days");
    clear(days);
    dayCard(days, T.firstResponse, c.days_to_first_response, Boolean(c.first_response_date));
    dayCard(days, T.toClose, c.days_to_close, Boolean(c.closed_date));
    var median = config.medians[c.category];
    document.getElementById("case-typical").textContent = median && median[0] !== null
      ? T.typical.replace("{category}", category).replace("{days}", String(median[0])).replace("{n}", String(median[1]))
      : T.typicalNone.replace("{category}", category);

    var timeline = document.getElementById("case-timeline");
    clear(timeline);
    if (!c.actions.length) { timeline.appendChild(el("li", T.noActions)); }
    c.actions.forEach(function (a) {
      // [date, action, actor, note]
      var li = el("li");
      var time = el("time", day(a[0]));
      time.dateTime = a[0];
      li.appendChild(time);
      li.appendChild(el("strong", label("action", a[1])));
      if (a[2]) { li.appendChild(el("span", T.by + ": " + label("actor", a[2]), "note")); }
      if (a[3]) {
        var p = el("p", null, "timeline-note");
        p.appendChild(jaText(a[3]));
        li.appendChild(p);
      }
      timeline.appendChild(li);
    });

    var table = document.getElementById("case-orders");
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent; });
    var tbody = table.querySelector("tbody");
    clear(tbody);
    c.work_orders.forEach(function (o) {
      // [work_order_id, contract_id, work_category, order_date, completion_date, status, amount, town]
      var k = data.contracts[o[1]] || [];
      // contract: [title, fiscal_year, contract_type, procurement_method, contractor, district, start, end, amount]
      var tr = el("tr");
      cell(tr, o[0], heads[0]);
      cell(tr, day(o[3]), heads[1], "date");
      cell(tr, o[4] ? day(o[4]) : "", heads[2], "date");
      cell(tr, label("order_status", o[5]), heads[3]);
      cell(tr, yen(o[6]), heads[4], "num");
      cell(tr, "", heads[5], "title").replaceChildren(jaText(k[0] || o[1]));
      cell(tr, label("contract_type", k[2]), heads[6]);
      var who = cell(tr, "", heads[7]);
      if (k[4]) { who.replaceChildren(jaText(k[4])); }
      cell(tr, yen(k[8]), heads[8], "num");
      tbody.appendChild(tr);
    });
    document.getElementById("case-orders-box").hidden = !c.work_orders.length;
    document.getElementById("case-no-orders").hidden = Boolean(c.work_orders.length);

    var similar = document.getElementById("case-similar");
    clear(similar);
    if (!c.similar.length) { similar.appendChild(el("li", T.noSimilar)); }
    c.similar.forEach(function (s) {
      // [id, requested_date, category, status]
      var li = el("li");
      var status = label("status", s[3]);
      var a = el("a", day(s[1]) + " " + label("category", s[2]) + (config.lang === "ja" ? "（" + status + "）"
        : " (" + status + ")"));
      a.href = "#" + s[0];
      li.appendChild(a);
      similar.appendChild(li);
    });
    message.hidden = true;
    box.hidden = false;
  }
  function showMessage(text) {
    title.textContent = defaultTitle;
    message.textContent = text;
    message.hidden = false;
    box.hidden = true;
  }
  function keepHash() {
    // the language switch and the way back keep the case
    var hash = window.location.hash;
    var other = document.querySelector("a.lang-switch");
    if (other) { other.href = other.href.split("#")[0] + hash; }
  }
  function route() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    keepHash();
    if (!id) { showMessage(T.noId); return; }
    message.textContent = T.loading;
    load(shardOf(id)).then(function (data) {
      if (decodeURIComponent(window.location.hash.slice(1)) !== id) { return; }
      show(id, data);
      window.scrollTo(0, 0);
    }).catch(function () { showMessage(T.failed); });
  }
  window.addEventListener("hashchange", route);
  route();
})();
