/// <reference lib="dom" />
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderHtmlReport } from '../src/html-report.ts'
import type { HtmlCaseSeries, HtmlReportInput } from '../src/html-report.ts'
import { windowHtmlInput } from '../src/window-series.ts'
import { chromiumOrSkip, launchChromium, openReport } from './_browser.ts'

const hasChromium = chromiumOrSkip('window-series')

/** One run a day from 2026-01-01 (a Thursday); case `c` at run `i` has p50 = 1 + c + i / 1e4 (distinct, known). */
function input(runs: number, cases: number): HtmlReportInput {
  const runList = Array.from({ length: runs }, (_, i) => ({
    id: `run-${i}`,
    startedAt: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
    label: 'main',
    commit: (i * 2654435761).toString(16).padStart(12, '0'),
    fingerprint: 'abc123',
    machine: 'synthetic-epyc',
    cases,
  }))
  const series: HtmlCaseSeries[] = Array.from({ length: cases }, (_, c) => {
    const p50 = runList.map((_, i) => 1 + c + i / 1e4)
    return {
      package: '@ttapi/cache',
      suite: 's',
      case: `case_${c}`,
      unit: 'ops',
      run: runList.map((_, i) => i),
      p5: p50.map((v) => v * 0.9),
      p50,
      p95: p50.map((v) => v * 1.2),
      throughput: p50.map((v) => 1e3 / v),
      // A step found at run runs - 50 (inside the window) and one at run 10 (folded into a bucket).
      changePoints: [10, runs - 50].map((index) => ({
        index,
        change: 0.2,
        pValue: 1e-9,
        fromCommit: null,
        toCommit: null,
      })),
    }
  })
  return {
    title: 'ttapi benchmark report',
    generatedAt: '2026-11-27T00:00:00Z',
    runs: runList,
    baseline: runs - 2,
    current: runs - 1,
    env: { node: 'v20.20.2' },
    verdicts: { headers: ['Case', 'Verdict'], rows: [] },
    series,
    profiles: [],
    notes: [],
  }
}

describe('windowHtmlInput (issue 18: a decade in one page)', () => {
  it('keeps 10,000 runs x 100 cases under 5 MB: the last 200 runs in full, the older ones in buckets', () => {
    const full = input(10_000, 100)
    const doc = windowHtmlInput(full, { runs: 200 })
    const html = renderHtmlReport(doc)
    expect(Buffer.byteLength(html)).toBeLessThan(5 * 1024 * 1024)
    expect(html).toContain('10000 runs ·')
    for (const [c, s] of doc.series.entries()) {
      const nb = s.buckets!.length
      // Every older run is in exactly one bucket; at most 100 buckets.
      expect(s.buckets!.reduce((n, b) => n + b.runs, 0)).toBe(9_800)
      expect(nb).toBeLessThanOrEqual(100)
      expect(s.run.slice(0, nb).every((r) => r === -1)).toBe(true)
      // The last 200 points are the last 200 runs, in full (reference: the unwindowed input).
      expect(s.run.length).toBe(nb + 200)
      expect(s.run.slice(nb).map((r) => doc.runs[r]!.id)).toEqual(full.runs.slice(-200).map((r) => r.id))
      expect(s.p50.slice(nb)).toEqual(full.series[c]!.p50.slice(-200))
      expect(s.p5.slice(nb)).toEqual(full.series[c]!.p5.slice(-200))
      // The window's change point moved with it; the older one marks its bucket.
      expect(s.changePoints.map((p) => p.index)).toEqual([0, nb + 150])
    }
    // Buckets: 9,800 older days are 108 quarters (> 100), so half years (182 days from Monday 1970-01-05): 54.
    const s = doc.series[3]!
    expect(s.buckets![0]!.days).toBe(182)
    expect(s.buckets!.length).toBe(55)
    const b = s.buckets![1]!
    const first = full.runs.findIndex((r) => r.startedAt.startsWith(b.from))
    const last = full.runs.findIndex((r) => r.startedAt.startsWith(b.to))
    expect(b.runs).toBe(last - first + 1)
    // Reference: median p50, lowest p5, highest p95 of those runs (p50 rises with the run: the middle one).
    const p50s = full.series[3]!.p50.slice(first, last + 1)
    const mid =
      p50s.length % 2 === 1 ? p50s[(p50s.length - 1) / 2]! : (p50s[p50s.length / 2 - 1]! + p50s[p50s.length / 2]!) / 2
    expect(s.p50[1]).toBe(mid)
    expect(s.p5[1]).toBe(full.series[3]!.p5[first])
    expect(s.p95[1]).toBe(full.series[3]!.p95[last])
    // Only the runs still drawn are listed; baseline and current still point at their runs.
    expect(doc.runs).toHaveLength(200)
    expect(doc.runs[doc.baseline!]!.id).toBe('run-9998')
    expect(doc.runs[doc.current!]!.id).toBe('run-9999')
  })

  it('leaves a history no longer than the window as it was', () => {
    const full = input(150, 2)
    const doc = windowHtmlInput(full, { runs: 200 })
    expect(doc.series).toEqual(full.series)
    expect(doc.runs).toEqual(full.runs)
  })

  it.skipIf(!hasChromium)('renders a windowed page in Chromium: every chart drawn, a bucket on hover', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ttapi-window-'))
    const file = join(dir, 'report.html')
    // 400 daily runs, 60 in full: 340 older days in 7-day buckets (49 weeks < 100).
    writeFileSync(file, renderHtmlReport(windowHtmlInput(input(400, 3), { runs: 60 })))
    const browser = await launchChromium()
    try {
      const { page, errors } = await openReport(browser, file, 1200, 900)
      expect(errors).toEqual([])
      expect(await page.getAttribute('html', 'data-charts-drawn')).toBe('3')
      expect(await page.textContent('body')).toMatch(/400 runs: the last 60 in full, 340 older in 7-day buckets/)
      // Hover over the left edge of the first chart: the first bucket's text.
      const box = (await page.$('.chart-latency .u-over'))!
      const r = (await box.boundingBox())!
      await page.mouse.move(r.x + 2, r.y + r.height / 2)
      expect(await page.textContent('.hover')).toMatch(/^2026-01-01 – 2026-01-04 · 4 runs \(median p50/)
    } finally {
      await browser.close()
    }
  })
})
