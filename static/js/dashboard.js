/* Draws the dashboard's charts from the numbers the page also shows as tables.
 * No inline scripts: the data comes from the JSON block rendered by json_script. */
(function () {
  "use strict";

  var COLOURS = ["#2457c5", "#b42318", "#1a7f37", "#a15c00"];

  function draw(id, spec, type, options) {
    var canvas = document.getElementById(id);
    if (!canvas || !spec) return;
    new window.Chart(canvas, {
      type: type,
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series, i) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: COLOURS[i % COLOURS.length],
            borderColor: COLOURS[i % COLOURS.length],
          };
        }),
      },
      options: Object.assign(
        {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
        options || {}
      ),
    });
  }

  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.Chart) return; // the tables carry the same numbers
    var data = JSON.parse(source.textContent);
    draw("chart-reasons", data.reasons, "bar", {
      indexAxis: "y",
      scales: { x: { beginAtZero: true, stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
    });
    draw("chart-trend", data.trend, "line");
    draw("chart-funnel", data.funnel, "bar", { plugins: { legend: { display: false } } });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
