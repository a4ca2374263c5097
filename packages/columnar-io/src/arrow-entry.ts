// @ttapi/columnar-io/arrow: the Apache Arrow side of the package. It is an entry point of its own so that importing
// `@ttapi/columnar-io` does not load apache-arrow and parquet-wasm (~0.2 s of every process start-up, measured with
// `node --import tsx/esm` on the 2-core VM), which a program reading MetaStock, CSV or Parquet into column tables never
// uses.
/** @public Column tables to and from Arrow tables (README), for callers that hand data to Arrow tools. */
export { fromArrowTable, toArrowTable } from './arrow.ts'
/** @public Any Parquet file as an Arrow table (README); the workspace reads Parquet into column tables. */
export { readParquetArrow } from './parquet/read-parquet-arrow.ts'
