/**
 * Formats `report import` reads; an imported record's `config.engine` and `imported.format`.
 * Extending this list is a backward-compatible change of the record contract.
 */
export const IMPORT_FORMATS = [
  'vitest',
  'tinybench',
  'mitata',
  'benchmarkjs',
  'hyperfine',
  'google-benchmark',
  'pytest-benchmark',
  'go',
  'criterion',
] as const

/** One of {@link IMPORT_FORMATS}. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number]
