"""The fixed JavaScript and CSS of the portal's maps (no data in here: data arrives as escaped JSON).

Everything data-derived reaches the page through `textContent`, `setAttribute` or Leaflet options,
never through `innerHTML` or a template literal.
"""

STYLE = """
<style>
  .leaflet-container { font-family: system-ui, "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", sans-serif; }
  .mieruka-legend { background: rgba(255, 255, 255, 0.94); color: #1a1a1a; padding: 6px 10px;
    border-radius: 4px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.35); font-size: 0.8rem; line-height: 1.4;
    max-width: 17rem; overflow-y: auto; box-sizing: border-box; }
  .mieruka-legend-title { font-weight: bold; margin-bottom: 4px; cursor: pointer; }
  .leaflet-container .leaflet-control-attribution { max-width: calc(100vw - 130px); }
  @media (max-width: 480px) {
    .leaflet-container .leaflet-control-attribution { font-size: 0.625rem; line-height: 1.3;
      max-width: calc(100vw - 100px); }
  }
  .mieruka-legend-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
  .mieruka-swatch { display: inline-block; flex: none; width: 14px; height: 14px;
    border: 1px solid #4d4d4d; box-sizing: border-box; }
  .mieruka-circle { border-radius: 50%; border-color: #ffffff; outline: 1px solid #4d4d4d; }
  .mieruka-size { border-radius: 50%; background: #bdbdbd; }
  .mieruka-hatch { background: repeating-linear-gradient(45deg, #e0e0e0 0 3px, #808080 3px 5px); }
  .mieruka-note { margin: 4px 0 0; }
  .mieruka-tip strong { display: block; }
  .mieruka-sr { position: absolute; top: 0; left: 0; width: 1px; height: 1px; overflow: hidden;
    clip-path: inset(50%); white-space: nowrap; }
  .mieruka-tip a { display: inline-block; margin-top: 4px; }
</style>
"""

# Shared helpers: DOM building with textContent, the legend control, the no-data hatch pattern and
# a visually hidden table for screen readers.
UI = """
window.mierukaUi = (function () {
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function num(n) { return String(n).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ","); }
  function tip(head, rows) {
    var box = el("div", "mieruka-tip");
    box.appendChild(el("strong", null, head));
    rows.forEach(function (row) { box.appendChild(el("div", null, row)); });
    return box;
  }
  function hatch(map) {
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#mieruka-hatch")) { return; }
    var ns = "http://www.w3.org/2000/svg";
    function make(tag, attrs) {
      var node = document.createElementNS(ns, tag);
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
      return node;
    }
    var defs = make("defs", {});
    var pattern = make("pattern", {id: "mieruka-hatch", patternUnits: "userSpaceOnUse", width: "8",
      height: "8", patternTransform: "rotate(45)"});
    pattern.appendChild(make("rect", {width: "8", height: "8", fill: "#e0e0e0"}));
    pattern.appendChild(make("line", {x1: "0", y1: "0", x2: "0", y2: "8", stroke: "#808080",
      "stroke-width": "3"}));
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }
  function legend(map, spec) {
    var control = L.control({position: "topright"});
    control.onAdd = function () {
      var box = el("details", "mieruka-legend");
      // On a phone the legend starts folded (its title stays), so that the map itself is seen first.
      box.open = map.getSize().y >= 360 && map.getSize().x >= 480;
      box.appendChild(el("summary", "mieruka-legend-title", spec.title));
      spec.rows.forEach(function (row) {
        var line = el("div", "mieruka-legend-row");
        var swatch = el("span", "mieruka-swatch mieruka-" + row.kind);
        swatch.setAttribute("aria-hidden", "true");
        if (row.color) { swatch.style.background = row.color; }
        if (row.size) { swatch.setAttribute("data-size", String(row.size)); }
        line.appendChild(swatch);
        line.appendChild(el("span", null, row.text));
        box.appendChild(line);
      });
      spec.notes.forEach(function (note) { box.appendChild(el("p", "mieruka-note", note)); });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      // On a short or narrow frame the open legend scrolls instead of covering the attribution.
      function room() {
        var corner = map.getContainer().querySelectorAll(".leaflet-bottom .leaflet-control");
        var below = 0;
        Array.prototype.forEach.call(corner, function (c) { below = Math.max(below, c.offsetHeight); });
        box.style.maxHeight = Math.max(60, map.getSize().y - below - 30) + "px";
      }
      box.addEventListener("toggle", room);
      map.on("resize", room);
      setTimeout(room, 0);
      return box;
    };
    control.addTo(map);
  }
  function table(spec) {
    // why: a table is as wide as its content whatever its own width, so the 1 px box that hides it
    // from sight (not from screen readers) is a div around it
    var box = el("div", "mieruka-sr");
    var node = el("table");
    box.appendChild(node);
    node.appendChild(el("caption", null, spec.caption));
    var head = el("tr");
    spec.columns.forEach(function (c) { head.appendChild(el("th", null, c)); });
    node.appendChild(head);
    spec.rows.forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (c) { tr.appendChild(el("td", null, c)); });
      node.appendChild(tr);
    });
    document.body.appendChild(box);
  }
  function label(map, text) { map.getContainer().setAttribute("aria-label", text); }
  function sizes(factor) {
    document.querySelectorAll(".mieruka-size").forEach(function (swatch) {
      var size = Math.max(8, Math.round(Number(swatch.getAttribute("data-size")) * factor));
      swatch.style.width = size + "px";
      swatch.style.height = size + "px";
    });
  }
  // Fit the bounds beside the legend (top right) when the frame is wide enough to spare its width.
  function fit(map, bounds, maxZoom) {
    var box = map.getContainer().querySelector(".mieruka-legend");
    var width = box ? box.offsetWidth + 16 : 0;
    var right = map.getSize().x > 3 * width ? width : 16;
    map.fitBounds(bounds, {paddingTopLeft: [16, 16], paddingBottomRight: [right, 16], maxZoom: maxZoom});
  }
  // The filters of the page that shows this map, from this document's own URL
  // (?category=pothole&status=declined&period=fy:2025); empty values filter nothing.
  function filters() {
    var params = new URLSearchParams(window.location.search), f = {};
    ["category", "status", "period"].forEach(function (k) { f[k] = params.get(k) || ""; });
    f.year = f.period.indexOf("fy:") === 0 ? f.period.slice(3) : "";
    f.any = Boolean(f.category || f.status || f.year);
    return f;
  }
  function fill(template, values) {
    return template.replace(/%\\((\\w+)\\)s/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function query(f, extra) {
    var params = new URLSearchParams();
    Object.keys(extra || {}).forEach(function (k) { params.set(k, extra[k]); });
    ["category", "status", "period"].forEach(function (k) { if (f[k]) { params.set(k, f[k]); } });
    return params.toString();
  }
  function link(tipBox, href, text) {
    var a = el("a", null, text);
    a.setAttribute("href", href);
    a.setAttribute("target", "_top");
    tipBox.appendChild(a);
  }
  return {el: el, num: num, tip: tip, hatch: hatch, legend: legend, table: table, label: label,
          sizes: sizes, fit: fit, filters: filters, fill: fill, query: query, link: link};
})();
"""

CHOROPLETH = """
(function () {
  var map = {{ this.map }};
  var data = {{ this.payload }};
  var ui = window.mierukaUi;
  ui.label(map, data.title);
  var f = ui.filters();
  if (data.facts && f.any) { recount(); }
  // The values for the URL's filters, counted from the facts, with classes as the build makes them.
  function recount() {
    var sums = {};
    data.facts.forEach(function (r) {
      if ((f.year && String(r[1]) !== f.year) || (f.category && r[2] !== f.category) ||
          (f.status && r[3] !== f.status)) { return; }
      sums[r[0]] = (sums[r[0]] || 0) + r[4];
    });
    var known = {};
    data.facts.forEach(function (r) { known[r[0]] = true; });
    var values = [];
    data.geojson.features.forEach(function (feature) {
      var p = feature.properties;
      p.value = known[p.code] ? (sums[p.code] || 0) : null;
      if (p.value !== null) { values.push(p.value); }
    });
    values.sort(function (a, b) { return a - b; });
    var edges = [];
    for (var i = 0; i <= 5 && values.length; i++) { edges.push(values[Math.round(i * (values.length - 1) / 5)]); }
    edges = edges.filter(function (v, i) { return edges.indexOf(v) === i; });
    function colour(v) {
      var count = Math.max(edges.length - 1, 1), index = 0;
      for (var j = 0; j < edges.length; j++) { if (v >= edges[j]) { index = j; } }
      index = Math.max(0, Math.min(index, Math.max(edges.length - 2, 0)));
      return data.classes[count > 1 ? Math.round(index * (data.classes.length - 1) / (count - 1)) : 2];
    }
    var rows = [];
    if (edges.length === 1) { rows.push({kind: "square", color: colour(edges[0]), text: ui.num(edges[0])}); }
    for (var k = 0; k + 1 < edges.length; k++) {
      rows.push({kind: "square", color: colour(edges[k]), text: ui.num(edges[k]) + " – " + ui.num(edges[k + 1])});
    }
    var missing = false;
    data.geojson.features.forEach(function (feature) {
      var p = feature.properties;
      p.fill = p.value === null ? null : colour(p.value);
      p.text = p.value === null ? data.no_data : ui.num(p.value);
      if (p.value === null) { missing = true; }
    });
    if (missing) { rows.push({kind: "hatch", color: null, text: data.no_data}); }
    data.legend = {title: data.legend.title, rows: rows, notes: [data.filtered]};
    data.table.rows = data.geojson.features.map(function (feature) {
      return [feature.properties.code, feature.properties.name, feature.properties.text];
    }).sort().map(function (row) { return row.slice(1); });
  }
  var layer = L.geoJSON(data.geojson, {
    attribution: data.attribution,
    style: function (feature) {
      var p = feature.properties;
      return {color: "#4d4d4d", weight: 1, opacity: 1,
              fillColor: p.fill || "url(#mieruka-hatch)", fillOpacity: p.fill ? 0.8 : 1};
    },
    onEachFeature: function (feature, item) {
      var p = feature.properties;
      item.bindTooltip(function () { return ui.tip(p.name, [data.label + data.sep + p.text]); },
                       {sticky: true});
      if (p.href) {
        item.bindPopup(function () {
          var box = ui.tip(p.name, [data.label + data.sep + p.text]);
          ui.link(box, p.href + (f.any ? "?" + ui.query(f) : ""), data.link_text);
          return box;
        });
      }
    }
  }).addTo(map);
  ui.hatch(map);
  ui.legend(map, data.legend);
  ui.fit(map, layer.getBounds(), 18);
  ui.table(data.table);
})();
"""

CELLS = """
(function () {
  var map = {{ this.map }};
  var data = {{ this.payload }};
  var ui = window.mierukaUi;
  ui.label(map, data.title);
  var outline = data.outline ? L.geoJSON(data.outline, {
    attribution: data.attribution, interactive: false,
    style: function () { return {color: "#333333", weight: 1.5, opacity: 0.9, fill: false}; }
  }).addTo(map) : null;
  var renderer = L.canvas({padding: 0.5});
  var group = L.featureGroup();
  var f = ui.filters();
  if (f.any) { recount(); }
  // The counts per cell for the URL's filters, from the facts ([cell, year, category, status, n]);
  // cells left without a case are not drawn, and the legend says what the counts are.
  function recount() {
    var counts = data.cells.map(function () { return data.labels.map(function () { return 0; }); });
    var sums = data.labels.map(function () { return 0; }), unlocated = 0;
    data.facts.forEach(function (r) {
      if ((f.year && String(r[1]) !== f.year) || (f.category && r[2] !== f.category) ||
          (f.status && data.codes[r[3]] !== f.status)) { return; }
      if (r[0] < 0) { unlocated += r[4]; return; }
      counts[r[0]][r[3]] += r[4];
      sums[r[3]] += r[4];
    });
    var cells = [], total = 0;
    data.cells.forEach(function (cell, i) {
      var n = counts[i].reduce(function (a, b) { return a + b; }, 0);
      if (n === 0) { return; }
      var dominant = 0;
      counts[i].forEach(function (c, j) { if (c > counts[i][dominant]) { dominant = j; } });
      total += n;
      cells.push([cell[0], cell[1], n, dominant, Math.round(Math.min(30, 4 + 3 * Math.sqrt(n)) * 10) / 10,
                  counts[i], cell[6], cell[7]]);
    });
    data.cells = cells;
    var rows = data.legend.rows.filter(function (row) { return row.kind !== "circle"; });
    var circles = [];
    data.labels.forEach(function (label, i) {
      if (i < data.labels.length - 1 || sums[i] > 0) {
        circles.push({kind: "circle", color: data.colors[i], text: label + data.sep + ui.num(sums[i])});
      }
    });
    data.legend.rows = circles.concat(rows);
    data.legend.notes = [data.templates.filtered,
      ui.fill(data.templates.on_map, {n: ui.num(total), cells: ui.num(cells.length)}),
      ui.fill(data.templates.unlocated, {n: ui.num(unlocated)})].concat(data.fixed_notes);
  }
  // Circles keep their full size from zoom 14 (a quarter mesh cell is about 30 px there) and shrink
  // below it, so that neighbouring cells stay apart when the whole municipality is in view; never
  // below 4 px, so that every cell can still be seen and pointed at.
  function factor() { return Math.min(1, Math.pow(2, (map.getZoom() - 14) / 3)); }
  function resize() {
    var f = factor();
    group.eachLayer(function (marker) { marker.setRadius(Math.max(4, marker.options.baseRadius * f)); });
    ui.sizes(f);
  }
  function content(cell) {
    var rows = [];
    // zeros are left out
    function shown(n) { return ui.num(n); }
    cell[5].forEach(function (n, i) { if (n !== 0) { rows.push(data.labels[i] + data.sep + shown(n)); } });
    return ui.tip(ui.fill(cell[2] === 1 ? data.unit[0] : data.unit[1], {n: shown(cell[2])}), rows);
  }
  function popup(cell) {
    var box = content(cell);
    if (data.cases_url && cell[7]) {
      ui.link(box, data.cases_url + "?" + ui.query(f, {cell: cell[7]}), data.link_text);
    }
    return box;
  }
  // A 10 km cell (cell[6]: [south, west, north, east]) is drawn as a dashed square under its circle,
  // so a coarsened location reads as the area it is, not as a spot.
  data.cells.forEach(function (cell) {
    if (cell[6]) {
      L.rectangle([[cell[6][0], cell[6][1]], [cell[6][2], cell[6][3]]], {
        renderer: renderer, interactive: false, color: data.colors[cell[3]], weight: 1.5, dashArray: "6 4",
        opacity: 0.9, fillColor: data.colors[cell[3]], fillOpacity: 0.08
      }).addTo(map);
    }
    var marker = L.circleMarker([cell[0], cell[1]], {
      renderer: renderer, radius: cell[4], baseRadius: cell[4], color: "#ffffff", weight: 1, opacity: 1,
      fillColor: data.colors[cell[3]], fillOpacity: 0.8
    });
    marker.bindTooltip(function () { return content(cell); });
    marker.bindPopup(function () { return popup(cell); });
    group.addLayer(marker);
  });
  group.addTo(map);
  ui.legend(map, data.legend);
  if (data.cells.length > 0) {
    ui.fit(map, group.getBounds(), 15);
  } else if (outline) {
    ui.fit(map, outline.getBounds(), 15);
  }
  resize();
  map.on("zoomend", resize);
})();
"""
