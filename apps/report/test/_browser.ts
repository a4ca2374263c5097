// The report's browser tests' one way to open a page: Chromium from Debian (never a download), headless, a page's
// console errors and uncaught exceptions collected, the load awaited until the client script has drawn the charts.
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'

/** The Chromium the tests run (`TTAPI_CHROMIUM`, else Debian's). */
export const CHROMIUM: string = process.env.TTAPI_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Whether Chromium is there; when not, says so once, naming the test file, so the skip is visible.
 * @param name - the test file's short name for the message.
 */
export function chromiumOrSkip(name: string): boolean {
  const there = existsSync(CHROMIUM)
  if (!there) console.warn(`${name}: skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`)
  return there
}

/** Starts headless Chromium as every browser test does. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  })
}

/**
 * Opens a report file in a new page of `browser` and waits until its charts are drawn.
 * @returns the page and the console errors and uncaught exceptions seen while it loaded (and after).
 */
export async function openReport(
  browser: Browser,
  file: string,
  width: number,
  height: number,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } })
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(pathToFileURL(file).href)
  await page.waitForSelector('html[data-charts-drawn]')
  return { page, errors }
}
