/// <reference lib="dom" />
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectChangePoints } from '../src/changepoints.ts'
import { flameSvg, flameTree } from '../src/flame-graph.ts'
import { renderHtmlReport, type HtmlCaseSeries, type HtmlReportInput } from '../src/html-report.ts'
import { chromiumOrSkip, launchChromium, openReport } from './_browser.ts'

const hasChromium = chromiumOrSkip('html-report')

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296
}

/** A history of `runs` runs; case `slow_down` gets 25% slower from run 25 on. */
function input(runs: number, cases: number): HtmlReportInput {
  const rnd = lcg(7)
  const runList = Array.from({ length: runs }, (_, i) => ({
    id: `run-${i}`,
    startedAt: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
    label: i % 7 === 0 ? 'main' : 'pr',
    commit: (i * 2654435761).toString(16).padStart(10, '0'),
    fingerprint: 'abc123',
    machine: 'synthetic-epyc',
    cases,
  }))
  const series: HtmlCaseSeries[] = Array.from({ length: cases }, (_, c) => {
    const p50 = runList.map((_, i) => 10 * (c === 0 && i >= runs / 2 ? 1.25 : 1) * (1 + 0.02 * (rnd() - 0.5)))
    return {
      package: c % 2 ? '@ttapi/collector' : '@ttapi/cache',
      suite: 's',
      case: c === 0 ? 'slow_down' : `case_${c}`,
      unit: 'rows',
      run: runList.map((_, i) => i),
      p5: p50.map((v) => v * 0.9),
      p50,
      p95: p50.map((v) => v * 1.2),
      throughput: p50.map((v) => 1e6 / v),
      changePoints: detectChangePoints(p50).map((cp) => ({
        index: cp.index,
        change: cp.change,
        pValue: cp.pValue,
        fromCommit: runList[cp.index - 1]!.commit,
        toCommit: runList[cp.index]!.commit,
      })),
    }
  })
  return {
    title: 'ttapi benchmark report',
    generatedAt: '2026-11-27T00:00:00Z',
    runs: runList,
    baseline: runs - 8,
    current: runs - 1,
    env: { node: 'v20.20.2', cores: 2 },
    verdicts: { headers: ['Case', 'Latency p95', 'Verdict'], rows: [['slow_down', '12.5 ms', 'regressed']] },
    series,
    profiles: [
      { case: '@ttapi/cache/s/slow_down', rows: [{ fn: 'parse (a.ts:1)', baselinePct: 10, currentPct: 31.5 }] },
    ],
    notes: ['1 line excluded: benchmarks/x.ndjson:3: not JSON'],
  }
}

describe('renderHtmlReport', () => {
  it('is one self-contained file with escaped content', () => {
    const doc = input(20, 2)
    doc.notes.push('<script>alert(1)</script>')
    const html = renderHtmlReport(doc)
    expect(html).not.toMatch(/<script[^>]+src=/)
    expect(html).not.toMatch(/<link[^>]+href=/)
    expect(html).toContain('&#60;script&#62;alert(1)')
    expect(html).toContain('uPlot')
  })

  it('keeps a 300-run x 100-case history under 5 MB', () => {
    const html = renderHtmlReport(input(300, 100))
    expect(Buffer.byteLength(html)).toBeLessThan(5 * 1024 * 1024)
  })

  it('stays under 5 MB for 300 runs x 100 cases when every case has profiles on both sides', () => {
    // A call tree 3 wide and 7 deep (3,280 frames), every leaf sampled: about 360 frames pass the
    // 0.4% cut, some 60 KB of SVG per graph, three graphs a case.
    const nodes: Array<{ id: number; callFrame: object; children: number[] }> = []
    const leaves: number[] = []
    const grow = (depth: number): number => {
      const id = nodes.length + 1
      const node = {
        id,
        callFrame: {
          functionName: `fn_${id}`,
          url: `file:///w/packages/p/src/file_${id % 50}.ts`,
          lineNumber: id % 400,
        },
        children: [] as number[],
      }
      nodes.push(node)
      if (depth < 7) for (let k = 0; k < 3; k++) node.children.push(grow(depth + 1))
      else leaves.push(id)
      return id
    }
    grow(0)
    const tree = flameTree({ nodes, samples: leaves, timeDeltas: leaves.map(() => 100) })
    const graph = flameSvg(tree)
    expect(graph.length).toBeGreaterThan(40_000)
    const doc = input(300, 100)
    doc.profiles = doc.series.map((x) => ({
      case: `${x.package}/${x.suite}/${x.case}`,
      rows: [{ fn: 'fn_1 p/src/file_1.ts:2', baselinePct: 10, currentPct: 12 }],
      flame: { baseline: graph, current: graph, diff: flameSvg(tree, { baseline: tree }) },
    }))
    const html = renderHtmlReport(doc)
    expect(Buffer.byteLength(html)).toBeLessThan(5 * 1024 * 1024)
    // The most urgent cases keep their graphs; the others say why theirs are left out.
    expect(html).toContain('<svg class="flame"')
    expect(html).toContain('Flame graphs left out')
  })

  it.skipIf(!hasChromium)('loads in Chromium with no console errors and draws every chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ttapi-html-'))
    const file = join(dir, 'report.html')
    const doc = input(60, 4)
    writeFileSync(file, renderHtmlReport(doc))
    const browser = await launchChromium()
    try {
      const { page, errors } = await openReport(browser, file, 1200, 900)
      expect(errors).toEqual([])
      expect(await page.getAttribute('html', 'data-charts-drawn')).toBe('4')
      // Every canvas has painted pixels (a blank canvas is all zero alpha).
      const painted = await page.$$eval('canvas', (canvases) =>
        canvases.map((c) => {
          const ctx = c.getContext('2d')!
          const { data } = ctx.getImageData(0, 0, c.width, c.height)
          let n = 0
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++
          return n
        }),
      )
      // One chart per case (p50 with its p5-p95 band; throughput is in the tables).
      expect(painted.length).toBe(4)
      for (const n of painted) expect(n).toBeGreaterThan(500)
      // Report tables have header rows (uPlot's legends are tables of their own).
      const headerless = await page.$$eval(
        'table:not(.u-legend)',
        (ts) => ts.filter((t) => t.querySelectorAll('thead th').length === 0).length,
      )
      expect(headerless).toBe(0)
      // The injected step is marked as a change point.
      expect(await page.textContent('#case-ttapi-cache-s-slow_down')).toMatch(
        /change point at run 3[01]: \+2[45]\.\d% p50/,
      )
      const shot = join(dir, 'report.png')
      await page.screenshot({ path: shot, fullPage: false })
      console.info(`html-report: screenshot written to ${shot}`)
      expect(existsSync(shot)).toBe(true)
    } finally {
      await browser.close()
    }
  })
})
