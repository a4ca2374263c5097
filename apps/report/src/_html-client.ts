/**
 * The browser half of the HTML report, inlined as text. Plain ES2019, no imports: it reads the JSON
 * embedded in the page and draws one uPlot chart per case and machine (p50 with a p5-p95 band, the
 * threshold band around the baseline, baseline/current and change-point marks whose labels never
 * overprint), the run's date, commit and machine on hover; a log-scale toggle; search and package filter.
 */
export const clientScript: string = String.raw`
(function () {
  'use strict'
  var data = JSON.parse(document.getElementById('ttapi-data').textContent)
  var runs = data.runs
  var colors = { p50: '#2563eb', band: 'rgba(37,99,235,0.13)', thr: 'rgba(22,163,74,0.10)', thrLine: 'rgba(22,163,74,0.55)', base: '#6b7280', cur: '#111827', cp: '#dc2626' }
  var charts = []
  var logScale = false

  function fmtTime(ms) {
    if (ms == null) return ''
    if (ms === 0) return '0'
    if (ms >= 1000) return (ms / 1000).toPrecision(3) + ' s'
    if (ms >= 1) return ms.toPrecision(3) + ' ms'
    if (ms >= 0.001) return (ms * 1000).toPrecision(3) + ' µs'
    return (ms * 1e6).toPrecision(3) + ' ns'
  }
  function runText(series, v) {
    if (series.run[v] < 0 && series.buckets) {
      var b = series.buckets[v]
      return b ? b.from + ' – ' + b.to + ' · ' + b.runs + ' runs (median p50, lowest p5, highest p95)' : ''
    }
    var r = runs[series.run[v]]
    return r ? r.date + ' ' + r.time + ' · ' + r.label + ' @' + (r.commit || '?') + ' · ' + r.machine : ''
  }

  // Marks drawn over the series: the threshold band around the baseline, then baseline, current and
  // change points. Labels sit on rows: a label that would overlap the previous one on its row moves
  // down a row, so none overprints another.
  function marks(series) {
    return function (u) {
      var ctx = u.ctx, dpr = devicePixelRatio
      var top = u.bbox.top, height = u.bbox.height, left = u.bbox.left, width = u.bbox.width
      ctx.save()
      ctx.beginPath(); ctx.rect(left, top, width, height); ctx.clip()
      var b = series.baseline
      if (b != null && b >= 0 && series.p50[b] != null) {
        var t = data.threshold / 100, v = series.p50[b]
        var y1 = u.valToPos(v * (1 + t), 'y', true), y2 = u.valToPos(v / (1 + t), 'y', true)
        ctx.fillStyle = colors.thr
        ctx.fillRect(left, Math.min(y1, y2), width, Math.abs(y2 - y1))
        ctx.strokeStyle = colors.thrLine
        ctx.lineWidth = dpr
        ctx.setLineDash([4 * dpr, 3 * dpr])
        ctx.beginPath(); ctx.moveTo(left, y1); ctx.lineTo(left + width, y1); ctx.moveTo(left, y2); ctx.lineTo(left + width, y2); ctx.stroke()
      }
      ctx.font = (11 * dpr) + 'px sans-serif'
      ctx.textAlign = 'left'
      ctx.textBaseline = 'alphabetic'
      var rowEnds = []
      function mark(idx, color, dash, label) {
        if (idx == null || idx < 0) return
        var x = Math.round(u.valToPos(idx, 'x', true))
        ctx.strokeStyle = color
        ctx.lineWidth = 1.5 * dpr
        ctx.setLineDash(dash.map(function (d) { return d * dpr }))
        ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke()
        var w = ctx.measureText(label).width + 6 * dpr
        var lx = x + 3 * dpr
        if (lx + w > left + width) lx = x - w
        var row = 0
        while (rowEnds[row] != null && lx < rowEnds[row]) row++
        rowEnds[row] = lx + w
        var y = top + (12 + row * 13) * dpr
        ctx.fillStyle = 'rgba(255,255,255,0.85)'
        ctx.fillRect(lx - 2 * dpr, y - 10 * dpr, w, 13 * dpr)
        ctx.fillStyle = color
        ctx.fillText(label, lx, y)
      }
      mark(series.baseline, colors.base, [6, 4], 'baseline')
      mark(series.current, colors.cur, [], 'current')
      for (var i = 0; i < series.changePoints.length; i++) {
        var cp = series.changePoints[i]
        mark(cp.index, colors.cp, [2, 3], (cp.change >= 0 ? '+' : '−') + Math.abs(cp.change * 100).toFixed(1) + '%')
      }
      ctx.restore()
    }
  }

  // Runs are discrete: ticks on whole run indexes at least 80 px apart. A tick shows MM-DD, or the time
  // of day when the tick before it shows the same date.
  function xAxis(series) {
    return {
      space: 80,
      incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
      values: function (u, splits) {
        var last = ''
        return splits.map(function (v) {
          var k = Math.round(v)
          if (series.run[k] < 0 && series.buckets && series.buckets[k]) return series.buckets[k].from.slice(0, 7)
          var r = runs[series.run[k]]
          if (!r) return ''
          var d = r.date.slice(5)
          var out = d === last ? r.time : d
          last = d
          return out
        })
      },
    }
  }

  function draw(series, el) {
    var box = el.querySelector('.chart-latency')
    var width = Math.max(280, box.clientWidth || 600)
    var xs = new Array(series.run.length)
    for (var i = 0; i < xs.length; i++) xs[i] = i
    // The y range holds the data and the threshold band around the baseline.
    var lo = Infinity, hi = -Infinity
    for (var k = 0; k < xs.length; k++) {
      if (series.p5[k] != null) lo = Math.min(lo, series.p5[k])
      if (series.p95[k] != null) hi = Math.max(hi, series.p95[k])
    }
    var b = series.baseline
    if (b != null && b >= 0 && series.p50[b] != null) {
      lo = Math.min(lo, series.p50[b] / (1 + data.threshold / 100))
      hi = Math.max(hi, series.p50[b] * (1 + data.threshold / 100))
    }
    var pad = (hi - lo) * 0.08 || hi * 0.05 || 1
    var hover = document.createElement('div')
    hover.className = 'hover'
    box.parentNode.insertBefore(hover, box)
    function show(i) {
      if (i == null || i < 0) i = xs.length - 1
      hover.textContent = runText(series, i) + ' — p50 ' + fmtTime(series.p50[i]) + ' (p5 ' + fmtTime(series.p5[i]) + ', p95 ' + fmtTime(series.p95[i]) + ')'
    }
    show(null)
    var chart = new uPlot({
      width: width, height: 200,
      legend: { show: false },
      scales: {
        x: { time: false, range: function (u, a, z) { return a === z ? [a - 1, z + 1] : [a, z] } },
        y: logScale ? { distr: 3 } : { range: function () { return [Math.max(0, lo - pad), hi + pad] } },
      },
      series: [
        {},
        { stroke: 'transparent' },
        { stroke: colors.p50, width: 2, points: { show: xs.length < 60 } },
        { stroke: 'transparent' },
      ],
      bands: [{ series: [3, 1], fill: colors.band }],
      axes: [xAxis(series), { values: function (u, s) { return s.map(fmtTime) }, size: 64 }],
      hooks: { draw: [marks(series)], setCursor: [function (u) { show(u.cursor.idx) }] },
    }, [xs, series.p5, series.p50, series.p95], box)
    charts.push({ chart: chart, box: box, series: series, el: el })
    el.setAttribute('data-drawn', String(xs.length))
  }

  function drawAll() {
    for (var i = 0; i < charts.length; i++) charts[i].chart.destroy()
    charts = []
    var old = document.querySelectorAll('.hover')
    for (var h = 0; h < old.length; h++) old[h].remove()
    var blocks = document.querySelectorAll('[data-series]')
    var drawn = 0
    for (var j = 0; j < blocks.length; j++) {
      var el = blocks[j]
      var s = data.series[Number(el.getAttribute('data-series'))]
      if (s && s.run.length > 0) { draw(s, el); drawn++ }
    }
    document.documentElement.setAttribute('data-charts-drawn', String(drawn))
  }

  var resizeTimer = null
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer)
    resizeTimer = setTimeout(function () {
      for (var i = 0; i < charts.length; i++) {
        var c = charts[i]
        if (c.box.offsetParent === null) continue
        c.chart.setSize({ width: Math.max(280, c.box.clientWidth), height: 200 })
      }
    }, 100)
  })

  var log = document.getElementById('log')
  if (log) log.addEventListener('change', function () { logScale = log.checked; drawAll() })

  var q = document.getElementById('q'), pkg = document.getElementById('pkg'), shown = document.getElementById('shown')
  function filter() {
    var text = (q.value || '').toLowerCase(), p = pkg.value
    var cases = document.querySelectorAll('section.case'), visible = 0
    for (var i = 0; i < cases.length; i++) {
      var c = cases[i]
      var ok = (!p || c.getAttribute('data-package') === p) &&
        (!text || (c.getAttribute('data-package') + ' ' + c.getAttribute('data-name')).toLowerCase().indexOf(text) >= 0)
      c.hidden = !ok
      if (ok) visible++
    }
    var pkgs = document.querySelectorAll('.pkg')
    for (var k = 0; k < pkgs.length; k++) pkgs[k].hidden = pkgs[k].querySelector('section.case:not([hidden])') === null
    shown.textContent = visible + ' of ' + cases.length + ' cases'
  }
  if (q && pkg) { q.addEventListener('input', filter); pkg.addEventListener('change', filter); filter() }

  drawAll()
})()
`
