import { dataFingerprint } from '../src/column-cache.ts'
import { readParquet } from '@ttapi/columnar-io'
import { readdirSync } from 'node:fs'
for (let i = 0; i < 5; i++) {
  const s = performance.now()
  await dataFingerprint('/tmp/ttq/.ttapi/data/quick-metastock')
  console.log('fp', (performance.now() - s).toFixed(1))
}
const f = '/tmp/ttprof/cache/columns/' + readdirSync('/tmp/ttprof/cache/columns')[0]
let t = await readParquet(f, { shared: true })
for (let i = 0; i < 5; i++) {
  const s = performance.now()
  t = await readParquet(f, { shared: true })
  console.log('fresh', (performance.now() - s).toFixed(1))
}
for (let i = 0; i < 5; i++) {
  const s = performance.now()
  await readParquet(f, { shared: true, into: t })
  console.log('into', (performance.now() - s).toFixed(1))
}
