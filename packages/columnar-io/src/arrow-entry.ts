// @ttapi/columnar-io/arrow: the Apache Arrow side of the package. It is an entry point of its own so that importing
// `@ttapi/columnar-io` does not load apache-arrow and parquet-wasm (~0.2 s of every process start-up, measured with
// `node --import tsx/esm` on the 2-core VM), which a program reading MetaStock, CSV or Parquet into column tables never
// uses.
export { fromArrowTable, toArrowTable } from './arrow.ts'
export { readParquetArrow } from './parquet/read-parquet-arrow.ts'
