// The report page's style sheet and script. The script turns the embedded chart specs
// (report_charts.cpp) into Chart.js charts, draws 95% CI whiskers and bands and event markers,
// and writes #render-status once every chart drew (the browser test reads it).
#include "report_detail.hpp"

namespace rootsim::scenarios {

std::string_view report_css() {
  return R"css(
:root { --ink: #1d2330; --muted: #5a6272; --rule: #d9dde5; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); margin: 0; background: #f6f7f9; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 1.8em; margin: 0 0 0.2em; }
h2 { font-size: 1.3em; margin: 2em 0 0.4em; padding-bottom: 0.2em; border-bottom: 2px solid var(--rule); }
p.lead { font-size: 1.05em; max-width: 62em; }
.question { border-left: 4px solid var(--accent); padding: 0.4em 1em; background: #eef4fb; max-width: 62em; }
.narrative { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin: 1em 0; }
.narrative div { border: 1px solid var(--rule); border-radius: 6px; padding: 0.6em 1em; }
.narrative h3 { margin: 0 0 0.3em; font-size: 1em; }
.facts { color: var(--muted); font-size: 0.92em; }
nav ol { columns: 2; font-size: 0.95em; }
.intro { color: var(--muted); max-width: 62em; }
.grid { display: grid; gap: 18px; }
.grid.headline { grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); }
.grid.resolution { grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); }
.grid.lead, .grid.timeline { grid-template-columns: 1fr; }
figure { margin: 0; border: 1px solid var(--rule); border-radius: 6px; padding: 8px 10px;
         break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 0.85em; color: var(--muted); margin-top: 4px; }
.box { position: relative; height: 250px; }
.lead .box { height: 380px; }
.resolution .box { height: 280px; }
.timeline .box { height: 300px; }
table { border-collapse: collapse; font-size: 0.88em; margin: 0.6em 0; width: 100%; }
th, td { border: 1px solid var(--rule); padding: 4px 7px; vertical-align: top; text-align: left; }
thead th { background: #f0f2f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.yes { color: #a4260f; font-weight: 600; }
td.no { color: #2d6a31; }
tr.removal td { background: #fff8ec; }
.ci { color: var(--muted); }
.none { color: var(--muted); font-style: italic; }
code { font-size: 0.95em; }
dl.metrics dt { font-family: monospace; margin-top: 0.4em; }
dl.metrics dd { margin-left: 1.5em; color: var(--muted); }
#render-status { color: var(--muted); font-size: 0.85em; margin-top: 2em; }
#render-status[data-errors]:not([data-errors=""]) { color: #a4260f; }
@media (max-width: 800px) { .narrative { grid-template-columns: 1fr; }
  .grid.resolution, .grid.headline { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav, #render-status { display: none; }
  h2 { break-after: avoid; }
  .grid.headline { grid-template-columns: 1fr 1fr; }
  .grid.resolution { grid-template-columns: 1fr 1fr; }
  table { break-inside: auto; } tr { break-inside: avoid; }
}
@page { size: A4; margin: 14mm; }
)css";
}

std::string_view report_script() {
  return R"js(
(function () {
  'use strict';
  var status = document.getElementById('render-status');
  var errors = [];
  function note(message) {
    errors.push(String(message));
    status.setAttribute('data-errors', errors.join(' | '));
  }
  window.addEventListener('error', function (e) {
    note((e.message || 'error') + (e.filename ? ' at ' + e.filename + ':' + e.lineno : ''));
  });
  var consoleError = console.error;
  console.error = function () {
    note(Array.prototype.join.call(arguments, ' '));
    consoleError.apply(console, arguments);
  };

  // Okabe-Ito, readable by colour-blind readers, then greys.
  var palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#999933',
                 '#000000', '#882255', '#777777'];
  function rgba(i, alpha) {
    var h = palette[i % palette.length];
    var n = parseInt(h.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }

  var charts = [];
  function finish() {
    var ok = 0;
    var total = document.querySelectorAll('canvas[data-chart]').length;
    charts.forEach(function (chart) {
      var canvas = chart.canvas;
      var drawn = 0;
      try {
        var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (var i = 3; i < pixels.length; i += 16) { if (pixels[i] !== 0) { drawn++; } }
      } catch (e) { note('reading ' + canvas.id + ': ' + e.message); }
      if (chart.$rootsimDrawn && drawn > 200) { ok++; } else { note('chart ' + canvas.id + ' did not render'); }
    });
    status.setAttribute('data-charts-ok', String(ok));
    status.setAttribute('data-charts-total', String(total));
    status.setAttribute('data-done', '1');
    status.textContent = ok + ' of ' + total + ' charts drawn' +
        (errors.length ? '; errors: ' + errors.join(' | ') : '.');
  }

  if (typeof Chart === 'undefined') {
    note('Chart.js did not load');
    finish();
    return;
  }
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, "DejaVu Sans", sans-serif';
  Chart.defaults.color = '#1d2330';

  // 95% CI whiskers over bars: dataset.ciLo / ciHi, one per bar.
  Chart.register({
    id: 'rootsimWhiskers',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      chart.data.datasets.forEach(function (ds, i) {
        var meta = chart.getDatasetMeta(i);
        if (!ds.ciLo || meta.hidden) { return; }
        var scale = chart.scales[ds.yAxisID || 'y'], area = chart.chartArea;
        ctx.save();
        ctx.beginPath();
        ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
        ctx.clip();
        ctx.strokeStyle = '#1d2330';
        ctx.lineWidth = 1.5;
        meta.data.forEach(function (bar, j) {
          var lo = ds.ciLo[j], hi = ds.ciHi[j];
          if (lo === null || hi === null || lo === undefined || hi === undefined || lo === hi) { return; }
          var top = scale.getPixelForValue(hi), bottom = scale.getPixelForValue(lo);
          var w = Math.min(10, (bar.width || 20) / 4);
          ctx.beginPath();
          ctx.moveTo(bar.x, top); ctx.lineTo(bar.x, bottom);
          ctx.moveTo(bar.x - w, top); ctx.lineTo(bar.x + w, top);
          ctx.moveTo(bar.x - w, bottom); ctx.lineTo(bar.x + w, bottom);
          ctx.stroke();
        });
        ctx.restore();
      });
    }
  });
  // Scenario events: data.markers = [{x, label}], dashed verticals with rotated labels.
  Chart.register({
    id: 'rootsimMarkers',
    afterDatasetsDraw: function (chart) {
      var markers = chart.data.markers;
      if (!markers || !markers.length) { return; }
      var ctx = chart.ctx, x = chart.scales.x, area = chart.chartArea;
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      ctx.strokeStyle = '#a4260f';
      ctx.fillStyle = '#a4260f';
      ctx.setLineDash([5, 4]);
      ctx.font = '11px system-ui, sans-serif';
      markers.forEach(function (m) {
        var px = x.getPixelForValue(m.x);
        if (px < area.left || px > area.right) { return; }
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
        ctx.save();
        ctx.translate(px + 3, area.top + 4);
        ctx.rotate(Math.PI / 2);
        ctx.fillText(m.label, 0, 0);
        ctx.restore();
      });
      ctx.restore();
    }
  });
  Chart.register({ id: 'rootsimDrawn', afterDraw: function (chart) { chart.$rootsimDrawn = true; } });

  function points(data) {
    return data.map(function (p) { return { x: p[0], y: p[1] }; });
  }
  function axis(spec, position) {
    var a = {
      title: { display: true, text: spec.label },
      position: position
    };
    if (spec.kind === 'linear') { a.type = 'linear'; }
    if (spec.min !== undefined) { a.min = spec.min; }
    if (spec.max !== undefined) { a.max = spec.max; }
    if (spec.suggestedMax !== undefined && spec.suggestedMax !== null) { a.suggestedMax = spec.suggestedMax; }
    if (spec.beginAtZero) { a.beginAtZero = true; }
    return a;
  }

  function build(spec) {
    var datasets = [];
    var category = spec.x.kind === 'category';
    spec.series.forEach(function (s, i) {
      var c = s.color !== undefined ? s.color : i;
      var yAxisID = s.axis || 'y';
      if (s.kind === 'bar') {
        datasets.push({
          type: 'bar', label: s.label, data: s.data, yAxisID: yAxisID,
          backgroundColor: s.byCategory ? spec.labels.map(function (_, j) { return rgba(j, 0.75); })
                                        : rgba(c, 0.75),
          ciLo: s.lo, ciHi: s.hi
        });
        return;
      }
      var data = category ? s.data : points(s.data);
      if (s.lo && s.hi) {
        datasets.push({ type: 'line', label: s.label + ' (95% low)', band: true, yAxisID: yAxisID,
                        data: category ? s.lo : points(s.lo), borderWidth: 0, pointRadius: 0,
                        fill: false, spanGaps: false });
        datasets.push({ type: 'line', label: s.label + ' (95% high)', band: true, yAxisID: yAxisID,
                        data: category ? s.hi : points(s.hi), borderWidth: 0, pointRadius: 0,
                        backgroundColor: rgba(c, 0.18), fill: '-1', spanGaps: false });
      }
      datasets.push({ type: 'line', label: s.label, data: data, yAxisID: yAxisID,
                      borderColor: rgba(c, 0.95), backgroundColor: rgba(c, 0.95),
                      borderWidth: s.thick ? 2.5 : 1.5, pointRadius: 0, fill: false,
                      spanGaps: false });
    });
    var scales = { x: axis(spec.x, 'bottom'), y: axis(spec.y, 'left') };
    if (spec.y2) {
      scales.y2 = axis(spec.y2, 'right');
      scales.y2.grid = { drawOnChartArea: false };
    }
    return {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets, markers: spec.markers || [] },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: scales,
        plugins: {
          title: { display: true, text: spec.title, font: { size: 14, weight: 'bold' } },
          legend: {
            display: !category,
            labels: { filter: function (item, data) { return !data.datasets[item.datasetIndex].band; },
                      boxWidth: 14 }
          },
          tooltip: { filter: function (item) { return !item.dataset.band; } }
        }
      }
    };
  }

  var data;
  try {
    data = JSON.parse(document.getElementById('report-data').textContent);
  } catch (e) {
    note('report data: ' + e.message);
    finish();
    return;
  }
  data.charts.forEach(function (spec) {
    var canvas = document.getElementById('chart-' + spec.id);
    if (!canvas) { note('no canvas for ' + spec.id); return; }
    try {
      charts.push(new Chart(canvas.getContext('2d'), build(spec)));
    } catch (e) {
      note(spec.id + ': ' + e.message);
    }
  });
  window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.resize(); }); });
  if (document.readyState === 'complete') {
    setTimeout(finish, 50);
  } else {
    window.addEventListener('load', function () { setTimeout(finish, 50); });
  }
})();
)js";
}

}  // namespace rootsim::scenarios
