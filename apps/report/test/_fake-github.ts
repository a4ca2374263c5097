import { createRequire } from 'node:module'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Ajv } from 'ajv'

/**
 * A GitHub REST stand-in on 127.0.0.1 for the endpoints the report uses. Every request is checked against
 * GitHub's published OpenAPI description (@octokit/openapi, api.github.com): the path and method must exist,
 * path parameters must be present, query parameters must be declared, and a JSON body must match the
 * operation's request schema. Violations are collected for the test to assert on.
 */

type Json = Record<string, unknown>
interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean }>
  requestBody?: { required?: boolean; content?: Record<string, { schema: Json }> }
}
interface Spec {
  paths: Record<string, Record<string, Operation>>
}

const require = createRequire(import.meta.url)
let spec: Spec | null = null
function loadSpec(): Spec {
  spec ??= require('@octokit/openapi/generated/api.github.com.deref.json') as Spec
  return spec
}

const USED = [
  '/repos/{owner}/{repo}/issues/{issue_number}/comments',
  '/repos/{owner}/{repo}/issues/comments/{comment_id}',
  '/repos/{owner}/{repo}/check-runs',
  '/repos/{owner}/{repo}/pulls',
  '/repos/{owner}/{repo}/pulls/{pull_number}',
]

interface Route {
  template: string
  regex: RegExp
  names: string[]
}

const routes: Route[] = USED.map((template) => {
  const names: string[] = []
  const regex = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`)
  return { template, regex, names }
})

/** A canned answer to send instead of the normal one. */
export interface Fault {
  method: string
  /** Matched against the path. */
  path: RegExp
  status: number
  headers?: Record<string, string>
  body?: unknown
}

/** A pull request as the fake keeps it. */
export interface Pull {
  number: number
  title: string
  body: string
  /** `owner:branch` */
  head: string
  base: string
  state: 'open' | 'closed'
}

interface Comment {
  id: number
  body: string
  issue: number
  created_at: string
}

export interface FakeGitHub {
  url: string
  /** Requests seen, in order: `METHOD /path?query`. */
  requests: string[]
  /** OpenAPI violations found in requests. */
  violations: string[]
  comments: Comment[]
  checkRuns: Json[]
  /** Pull requests created through the API (tests may add some directly). */
  pulls: Pull[]
  /** Queue faults answered (in order) by the next matching requests. */
  fail(fault: Fault): void
  /** Delay every response by this many ms (to widen races). */
  latencyMs: number
  close(): Promise<void>
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const s = loadSpec()
  const ajv = new Ajv({ strict: false, allErrors: true })
  const validators = new Map<string, ReturnType<Ajv['compile']>>()
  const faults: Fault[] = []
  let nextId = 1000
  const state: Omit<FakeGitHub, 'url' | 'close' | 'fail'> = {
    requests: [],
    violations: [],
    comments: [],
    checkRuns: [],
    pulls: [],
    latencyMs: 0,
  }

  function validate(method: string, path: string, query: URLSearchParams, body: unknown): Route | null {
    const route = routes.find((r) => r.regex.test(path))
    const op = route ? s.paths[route.template]?.[method.toLowerCase()] : undefined
    if (!route || !op) {
      state.violations.push(`${method} ${path}: no such operation in GitHub's OpenAPI description`)
      return route ?? null
    }
    const params = op.parameters ?? []
    for (const q of query.keys()) {
      if (!params.some((p) => p.in === 'query' && p.name === q))
        state.violations.push(`${method} ${route.template}: undeclared query parameter ${q}`)
    }
    for (const p of params) {
      if (p.in === 'path' && !route.names.includes(p.name))
        state.violations.push(`${method} ${route.template}: missing path parameter ${p.name}`)
    }
    const schema = op.requestBody?.content?.['application/json']?.schema
    if (schema) {
      if (body === undefined) {
        if (op.requestBody?.required) state.violations.push(`${method} ${route.template}: missing required JSON body`)
      } else {
        const key = `${method} ${route.template}`
        let v = validators.get(key)
        if (!v) {
          v = ajv.compile(schema)
          validators.set(key, v)
        }
        if (!v(body)) state.violations.push(`${key}: body does not match the schema: ${ajv.errorsText(v.errors)}`)
      }
    } else if (body !== undefined && method !== 'GET') {
      state.violations.push(`${method} ${route.template}: sent a body the operation does not take`)
    }
    return route
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? '' : JSON.stringify(body)
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-remaining': '4999',
      ...headers,
    })
    res.end(text)
  }

  function commentJson(c: Comment, base: string): Json {
    return {
      id: c.id,
      body: c.body,
      html_url: `${base}/o/r/pull/${c.issue}#issuecomment-${c.id}`,
      created_at: c.created_at,
    }
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        if (state.latencyMs) await new Promise((r) => setTimeout(r, state.latencyMs))
        const url = new URL(req.url ?? '/', 'http://127.0.0.1')
        const method = req.method ?? 'GET'
        state.requests.push(`${method} ${url.pathname}${url.search}`)
        let body: unknown
        if (chunks.length) {
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
          } catch {
            state.violations.push(`${method} ${url.pathname}: body is not JSON`)
          }
        }
        const route = validate(method, url.pathname, url.searchParams, body)
        const fi = faults.findIndex((f) => f.method === method && f.path.test(url.pathname))
        if (fi >= 0) {
          const f = faults.splice(fi, 1)[0]!
          return send(res, f.status, f.body ?? { message: `fault ${f.status}` }, f.headers)
        }
        const base = `http://${req.headers.host}`
        const m = route ? url.pathname.match(route.regex) : null
        const p = Object.fromEntries(route?.names.map((n, i) => [n, m?.[i + 1] ?? '']) ?? [])
        if (route?.template.endsWith('{issue_number}/comments')) {
          const issue = Number(p.issue_number)
          if (method === 'POST') {
            const c = { id: nextId++, body: String((body as Json).body), issue, created_at: new Date().toISOString() }
            state.comments.push(c)
            return send(res, 201, commentJson(c, base))
          }
          const all = state.comments.filter((c) => c.issue === issue).sort((a, b) => a.id - b.id)
          const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30))
          const page = Number(url.searchParams.get('page') ?? 1)
          const last = Math.max(1, Math.ceil(all.length / perPage))
          const links: string[] = []
          const link = (n: number, rel: string): string =>
            `<${base}${url.pathname}?per_page=${perPage}&page=${n}>; rel="${rel}"`
          if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
          if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'))
          return send(
            res,
            200,
            all.slice((page - 1) * perPage, page * perPage).map((c) => commentJson(c, base)),
            links.length ? { link: links.join(', ') } : {},
          )
        }
        if (route?.template.endsWith('comments/{comment_id}')) {
          const id = Number(p.comment_id)
          const c = state.comments.find((x) => x.id === id)
          if (!c) return send(res, 404, { message: 'Not Found' })
          if (method === 'PATCH') {
            c.body = String((body as Json).body)
            return send(res, 200, commentJson(c, base))
          }
          if (method === 'DELETE') {
            state.comments.splice(state.comments.indexOf(c), 1)
            res.writeHead(204).end()
            return
          }
          return send(res, 200, commentJson(c, base))
        }
        if (route?.template.endsWith('check-runs') && method === 'POST') {
          const id = nextId++
          state.checkRuns.push(body as Json)
          return send(res, 201, { id, html_url: `${base}/o/r/runs/${id}`, ...(body as Json) })
        }
        if (route?.template.endsWith('/pulls')) {
          const pullJson = (x: Pull): Json => ({
            number: x.number,
            title: x.title,
            body: x.body,
            state: x.state,
            html_url: `${base}/o/r/pull/${x.number}`,
            head: { label: x.head, ref: x.head.split(':')[1] },
            base: { ref: x.base },
          })
          if (method === 'POST') {
            const b = body as { title: string; body?: string; head: string; base: string }
            const owner = url.pathname.split('/')[2]!
            const head = b.head.includes(':') ? b.head : `${owner}:${b.head}`
            if (state.pulls.some((x) => x.state === 'open' && x.head === head && x.base === b.base))
              return send(res, 422, { message: `Validation Failed: A pull request already exists for ${head}.` })
            const pr: Pull = { number: nextId++, title: b.title, body: b.body ?? '', head, base: b.base, state: 'open' }
            state.pulls.push(pr)
            return send(res, 201, pullJson(pr))
          }
          const st = url.searchParams.get('state') ?? 'open'
          const head = url.searchParams.get('head')
          const baseRef = url.searchParams.get('base')
          return send(
            res,
            200,
            state.pulls
              .filter(
                (x) =>
                  (st === 'all' || x.state === st) && (!head || x.head === head) && (!baseRef || x.base === baseRef),
              )
              .map(pullJson),
          )
        }
        if (route?.template.endsWith('/pulls/{pull_number}')) {
          const pr = state.pulls.find((x) => x.number === Number(p.pull_number))
          if (!pr) return send(res, 404, { message: 'Not Found' })
          if (method === 'PATCH') {
            const b = body as { title?: string; body?: string }
            if (b.title !== undefined) pr.title = b.title
            if (b.body !== undefined) pr.body = b.body
          }
          return send(res, 200, {
            number: pr.number,
            title: pr.title,
            body: pr.body,
            html_url: `${base}/o/r/pull/${pr.number}`,
          })
        }
        return send(res, 404, { message: 'Not Found' })
      })()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    fail: (f: Fault) => void faults.push(f),
    close: () => new Promise<void>((r) => server.close(() => r())),
  })
}

/**
 * The fake as the CLI finds it: started, with GITHUB_TOKEN and GITHUB_API_URL pointing at it; its `close()` also
 * puts the two variables back as they were.
 */
export async function startFakeGitHubEnv(): Promise<FakeGitHub> {
  const saved = { GITHUB_TOKEN: process.env.GITHUB_TOKEN, GITHUB_API_URL: process.env.GITHUB_API_URL }
  const gh = await startFakeGitHub()
  process.env.GITHUB_TOKEN = 't0k3n'
  process.env.GITHUB_API_URL = gh.url
  const close = gh.close.bind(gh)
  gh.close = async () => {
    await close()
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
  }
  return gh
}
