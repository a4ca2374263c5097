/**
 * The browser half of the HTML report, inlined as text. Plain ES2019, no imports: it reads the JSON
 * embedded in the page and draws two uPlot charts per case (p50 with a p5-p95 band; throughput),
 * marking the baseline and current runs and the change points.
 */
export const clientScript: string = String.raw`
(function () {
  'use strict'
  var data = JSON.parse(document.getElementById('ttapi-data').textContent)
  var runs = data.runs
  var css = getComputedStyle(document.documentElement)
  var colors = { p50: '#2563eb', band: 'rgba(37,99,235,0.15)', thr: '#059669', base: '#6b7280', cur: '#111827', cp: '#dc2626' }

  function fmtTime(ms) {
    if (ms === 0) return '0'
    if (ms >= 1000) return (ms / 1000).toPrecision(3) + ' s'
    if (ms >= 1) return ms.toPrecision(3) + ' ms'
    if (ms >= 0.001) return (ms * 1000).toPrecision(3) + ' µs'
    return (ms * 1e6).toPrecision(3) + ' ns'
  }
  function fmtRate(v) {
    var units = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']]
    for (var i = 0; i < units.length; i++) if (Math.abs(v) >= units[i][0]) return (v / units[i][0]).toPrecision(3) + units[i][1]
    return v.toPrecision(3)
  }

  // Vertical markers: baseline, current and change points, drawn after the series.
  function markers(series) {
    return function (u) {
      var ctx = u.ctx
      var top = u.bbox.top, height = u.bbox.height
      function line(idx, color, dash, label) {
        if (idx == null || idx < 0) return
        var x = Math.round(u.valToPos(idx, 'x', true))
        ctx.save()
        ctx.strokeStyle = color
        ctx.lineWidth = 2 * devicePixelRatio
        ctx.setLineDash(dash)
        ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke()
        ctx.fillStyle = color
        ctx.font = (10 * devicePixelRatio) + 'px sans-serif'
        ctx.fillText(label, x + 3 * devicePixelRatio, top + 12 * devicePixelRatio)
        ctx.restore()
      }
      line(series.baseline, colors.base, [6, 4], 'baseline')
      line(series.current, colors.cur, [], 'current')
      for (var i = 0; i < series.changePoints.length; i++) {
        var cp = series.changePoints[i]
        line(cp.index, colors.cp, [2, 3], (cp.change >= 0 ? '+' : '') + (cp.change * 100).toFixed(1) + '%')
      }
    }
  }

  function xValues(series) {
    var xs = new Array(series.run.length)
    for (var i = 0; i < xs.length; i++) xs[i] = i
    return xs
  }

  // Runs are discrete: ticks only on whole run indexes, at least 90 px apart. A tick shows the run's
  // date, or its time of day when every run of the series is on one date.
  function xAxis(series) {
    var first = runs[series.run[0]], last = runs[series.run[series.run.length - 1]]
    var oneDay = first && last && first.date === last.date
    return {
      space: 90,
      incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
      values: function (u, splits) {
        return splits.map(function (v) {
          var r = runs[series.run[Math.round(v)]]
          return r ? (oneDay ? r.time : r.date.slice(5)) : ''
        })
      },
    }
  }

  function draw(series, el) {
    var width = Math.max(320, el.clientWidth || 600)
    var xs = xValues(series)
    var p50 = new uPlot({
      width: width, height: 220, title: 'p50 latency (band: p5-p95)',
      scales: { x: { time: false } },
      series: [
        { label: 'run', value: function (u, v) { var r = runs[series.run[v]]; return r ? r.date + ' ' + r.time + ' ' + r.label + ' · ' + r.machine : '' } },
        { label: 'p5', stroke: 'transparent', value: function (u, v) { return v == null ? '-' : fmtTime(v) } },
        { label: 'p50', stroke: colors.p50, width: 2, points: { show: xs.length < 60 }, value: function (u, v) { return v == null ? '-' : fmtTime(v) } },
        { label: 'p95', stroke: 'transparent', value: function (u, v) { return v == null ? '-' : fmtTime(v) } },
      ],
      bands: [{ series: [3, 1], fill: colors.band }],
      axes: [xAxis(series), { values: function (u, s) { return s.map(fmtTime) }, size: 70 }],
      hooks: { draw: [markers(series)] },
    }, [xs, series.p5, series.p50, series.p95], el.querySelector('.chart-latency'))
    var thr = new uPlot({
      width: width, height: 180, title: 'throughput (' + series.unit + '/s)',
      scales: { x: { time: false } },
      series: [
        { label: 'run', value: function (u, v) { var r = runs[series.run[v]]; return r ? r.date + ' ' + r.time + ' ' + r.label + ' · ' + r.machine : '' } },
        { label: series.unit + '/s', stroke: colors.thr, width: 2, points: { show: xs.length < 60 }, value: function (u, v) { return v == null ? '-' : fmtRate(v) } },
      ],
      axes: [xAxis(series), { values: function (u, s) { return s.map(fmtRate) }, size: 70 }],
      hooks: { draw: [markers(series)] },
    }, [xs, series.throughput], el.querySelector('.chart-throughput'))
    el.setAttribute('data-drawn', String(xs.length))
    return [p50, thr]
  }

  var blocks = document.querySelectorAll('[data-series]')
  var drawn = 0
  for (var i = 0; i < blocks.length; i++) {
    var el = blocks[i]
    var s = data.series[Number(el.getAttribute('data-series'))]
    if (s && s.run.length > 0) { draw(s, el); drawn++ }
  }
  document.documentElement.setAttribute('data-charts-drawn', String(drawn))
})()
`
