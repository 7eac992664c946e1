// Bulwark dashboard: the only script of its pages (the CSP allows no inline script).
// htmx does the requests and swaps; this file adds the CSRF header and draws the traffic charts.
(function () {
  'use strict';

  const csrfMeta = document.querySelector('meta[name="csrf-token"]');

  // every htmx request carries the session's CSRF token; the server refuses changes without it
  document.body.addEventListener('htmx:configRequest', function (e) {
    if (csrfMeta) e.detail.headers['X-CSRF-Token'] = csrfMeta.content;
  });

  const COLORS = {
    status_2xx: '#2f9e44', status_3xx: '#1c7ed6', status_4xx: '#f08c00', status_5xx: '#e03131',
    allowed: '#2f9e44', blocked: '#e03131', challenged: '#7048e8', rate_limited: '#f08c00', noticed: '#495057'
  };
  const LABELS = {
    status_2xx: '2xx', status_3xx: '3xx', status_4xx: '4xx', status_5xx: '5xx',
    allowed: 'allowed', blocked: 'blocked', challenged: 'challenged', rate_limited: 'rate limited', noticed: 'notice'
  };
  const REFRESH_MS = 2000;

  function chartOptions(el, keys) {
    const series = [{}];
    keys.forEach(function (k) {
      series.push({label: LABELS[k] || k, stroke: COLORS[k] || '#868e96', width: 2, fill: (COLORS[k] || '#868e96') + '1a',
        value: function (u, v) { return v == null ? '–' : v + '/s'; }});
    });
    return {
      width: Math.max(280, el.clientWidth), height: 220, series: series,
      scales: {x: {time: true}, y: {range: function (u, min, max) { return [0, Math.max(5, Math.ceil(max * 1.1))]; }}},
      axes: [{stroke: '#6c757d', grid: {stroke: '#eef0f2'}}, {stroke: '#6c757d', grid: {stroke: '#eef0f2'}, size: 48}],
      legend: {live: true}, cursor: {drag: {x: false, y: false}}
    };
  }

  function startCharts(group) {
    const url = group.getAttribute('data-traffic');
    const charts = Array.prototype.map.call(group.querySelectorAll('.chart[data-series]'), function (el) {
      return {el: el, keys: el.getAttribute('data-series').split(','), plot: null};
    });
    let stopped = false;

    function draw(data) {
      charts.forEach(function (c) {
        const cols = [data.t].concat(c.keys.map(function (k) { return data[k] || data.t.map(function () { return 0; }); }));
        if (!c.plot) c.plot = new uPlot(chartOptions(c.el, c.keys), cols, c.el);
        else c.plot.setData(cols);
        let drawn = 0;
        for (let i = 1; i < cols.length; i++) for (let j = 0; j < cols[i].length; j++) if (cols[i][j] > 0) drawn++;
        c.el.setAttribute('data-points', String(drawn));
      });
    }

    function poll() {
      if (stopped) return;
      if (!document.body.contains(group)) { stopped = true; return; }
      fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
        .then(function (r) {
          if (r.status === 401) { window.location.href = '/dashboard/sign-in?expired=1'; throw new Error('signed out'); }
          if (!r.ok) throw new Error('traffic: HTTP ' + r.status);
          return r.json();
        })
        .then(draw)
        .catch(function (err) { group.setAttribute('data-error', String(err.message || err)); })
        .finally(function () { if (!stopped) setTimeout(poll, REFRESH_MS); });
    }

    window.addEventListener('resize', function () {
      charts.forEach(function (c) { if (c.plot) c.plot.setSize({width: Math.max(280, c.el.clientWidth), height: 220}); });
    });
    poll();
  }

  function init() {
    document.querySelectorAll('[data-traffic]').forEach(startCharts);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
