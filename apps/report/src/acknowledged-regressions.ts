import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ReportError } from './errors.ts'

/**
 * A regression a changeset accepts on purpose. Syntax, one line per case anywhere in a changeset's body:
 *
 *     Accept-Regression: <suite>/<case>: <reason>
 *
 * e.g. `Accept-Regression: cache/collect_symbols_cached_disk: checksums every entry now`. The gate then
 * reports that case as `regressed (accepted)` with the reason and does not fail on it; the release notes
 * list it with the reason. `<suite>/<case>` may be prefixed by the package: `@ttapi/cache:cache/...`.
 */
export interface AcknowledgedRegression {
  /** `suite/case`, optionally `package:suite/case`. */
  key: string
  reason: string
  /** The changeset file that carries it. */
  file: string
}

const LINE = /^\s*Accept-Regression:\s*(?:(@?[\w./-]+):)?([a-z0-9_]+)\/([a-z0-9_]+)\s*:\s*(.+?)\s*$/i

/**
 * Reads every `Accept-Regression:` line of the changesets in `dir` (missing dir: none).
 * @throws ReportError `REPORT_BAD_CHANGESET` naming the file and the line that does not follow the syntax.
 */
export function readAcknowledgedRegressions(dir: string): AcknowledgedRegression[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.md') && n.toLowerCase() !== 'readme.md')
  } catch {
    return []
  }
  const out: AcknowledgedRegression[] = []
  for (const name of names.sort()) {
    const file = join(dir, name)
    const text = readFileSync(file, 'utf8')
    for (const line of text.split(/\r?\n/)) {
      const m = LINE.exec(line)
      if (!m) {
        if (/^\s*Accept-Regression:/i.test(line)) {
          throw new ReportError(
            'REPORT_BAD_CHANGESET',
            `changeset ${file}: cannot read "${line.trim()}": write Accept-Regression: <suite>/<case>: <reason>`,
          )
        }
        continue
      }
      const [, pkg, suite, kase, reason] = m
      out.push({ key: `${pkg ? `${pkg}:` : ''}${suite}/${kase}`, reason: reason!, file })
    }
  }
  return out
}

/** The acknowledgement that covers a case, if any. */
export function findAcknowledgement(
  acks: AcknowledgedRegression[],
  pkg: string,
  suite: string,
  kase: string,
): AcknowledgedRegression | undefined {
  return acks.find((a) => a.key === `${suite}/${kase}` || a.key === `${pkg}:${suite}/${kase}`)
}
