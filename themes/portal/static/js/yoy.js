/* Year-over-year line charts with ~95 % intervals (vertical bars) and referral-flow bar charts, each drawn
   from the JSON block named by its canvas's data-source; the same numbers are in the table beside it. */
(function () {
  "use strict";
  if (typeof window.Chart !== "function") { return; }
  var COLOURS = ["#0b4f8a", "#b45309", "#047857", "#7c3aed", "#be123c", "#374151"];
  var lang = document.documentElement.lang === "en" ? "en" : "ja";

  // A link under the chart to save it as PNG (the chart is drawn at once: animation is off).
  function saveLink(canvas, chart) {
    var link = document.createElement("a");
    link.className = "chart-save";
    link.textContent = lang === "en" ? "Save the chart as PNG" : "グラフをPNGで保存";
    link.download = (canvas.getAttribute("data-source") || "chart").replace(/-data$/, "") + ".png";
    link.href = "#";
    link.addEventListener("click", function () { link.href = chart.toBase64Image(); });
    canvas.parentNode.insertAdjacentElement("afterend", link);
  }

  function read(canvas) {
    var node = document.getElementById(canvas.getAttribute("data-source"));
    return node ? JSON.parse(node.textContent) : null;
  }

  // Draws each point's interval as a vertical bar with short caps.
  var intervals = {
    id: "intervals",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, y = chart.scales.y;
      chart.data.datasets.forEach(function (ds, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) { return; }
        meta.data.forEach(function (point, j) {
          var lo = ds.lower[j], hi = ds.upper[j];
          if (lo === null || hi === null || lo === undefined || hi === undefined) { return; }
          ctx.save();
          ctx.strokeStyle = ds.borderColor;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(point.x, y.getPixelForValue(lo));
          ctx.lineTo(point.x, y.getPixelForValue(hi));
          ctx.moveTo(point.x - 4, y.getPixelForValue(lo));
          ctx.lineTo(point.x + 4, y.getPixelForValue(lo));
          ctx.moveTo(point.x - 4, y.getPixelForValue(hi));
          ctx.lineTo(point.x + 4, y.getPixelForValue(hi));
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  };

  document.querySelectorAll("canvas.yoy-chart").forEach(function (canvas) {
    var data = read(canvas);
    if (!data) { return; }
    var datasets = data.series.map(function (s, i) {
      return { label: s.label[lang], data: s.values, lower: s.lower, upper: s.upper, n: s.n,
               borderColor: COLOURS[i % COLOURS.length], backgroundColor: COLOURS[i % COLOURS.length],
               spanGaps: false, tension: 0 };
    });
    var chart = new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels.map(function (l) { return l[lang]; }), datasets: datasets },
      plugins: [intervals],
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, ticks: data.percent ? { callback: function (v) { return v + "%"; } } : {} } },
        plugins: { tooltip: { callbacks: { afterLabel: function (item) {
          var ds = item.dataset, j = item.dataIndex;
          var interval = ds.lower[j] === null ? "" : "[" + ds.lower[j] + "–" + ds.upper[j] + "] ";
          return interval + "n=" + (ds.n[j] || "—");
        } } } }
      }
    });
    saveLink(canvas, chart);
  });

  document.querySelectorAll("canvas.flow-chart").forEach(function (canvas) {
    var data = read(canvas);
    if (!data) { return; }
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: data.label, data: data.counts, backgroundColor: "#0b4f8a" }] },
      options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
                 plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    saveLink(canvas, chart);
  });
})();
