// "Did you mean": the names nearest to a mistyped one, by substring first, then by edit distance.

/**
 * The candidates nearest to `wanted`, best first: those containing it or contained in it (shortest
 * first); when none does, those within an edit distance of a third of its length (at least 2).
 * @param wanted - what the user typed.
 * @param candidates - the names that exist.
 * @param limit - how many to return. @default 8
 * @example nearMatches('collect_symbols_cached', ['collect_symbols_cached_disk', 'parquet_load']) // ['collect_symbols_cached_disk']
 */
export function nearMatches(wanted: string, candidates: readonly string[], limit = 8): string[] {
  const w = wanted.toLowerCase()
  const budget = Math.max(2, Math.floor(w.length / 3))
  const scored: { name: string; score: number }[] = []
  for (const name of new Set(candidates)) {
    const n = name.toLowerCase()
    if (n.includes(w) || w.includes(n)) scored.push({ name, score: Math.abs(n.length - w.length) / 1000 })
    else {
      const d = editDistance(w, n, budget)
      if (d <= budget) scored.push({ name, score: d })
    }
  }
  // A name holding the typed one (or held by it) is the better hint; misspellings only when none does.
  const pool = scored.some((s) => s.score < 1) ? scored.filter((s) => s.score < 1) : scored
  pool.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : 1))
  return pool.slice(0, limit).map((s) => s.name)
}

/** Levenshtein distance of `a` and `b`, or `budget + 1` as soon as it must exceed `budget`. */
function editDistance(a: string, b: string, budget: number): number {
  if (Math.abs(a.length - b.length) > budget) return budget + 1
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      row.push(v)
      if (v < best) best = v
    }
    if (best > budget) return budget + 1
    prev = row
  }
  return prev[b.length]!
}
