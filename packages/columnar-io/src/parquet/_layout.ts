// The Parquet layout of a column table as `writeParquet` writes it and the fast path of `readParquet` expects it,
// with the Parquet enum values both use (names as in parquet.thrift and hyparquet).

/** Parquet physical types used here. */
export const PT = { INT32: 1, DOUBLE: 5, BYTE_ARRAY: 6 } as const

/** Parquet page types (PageHeader field 1). */
export const PAGE_TYPE = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const

/** Parquet encodings used here (data and dictionary pages). */
export const ENCODING = { PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3, RLE_DICTIONARY: 8 } as const

/** The Float64 columns of a table. */
export type NumericKey = 'open' | 'high' | 'low' | 'close' | 'volume' | 'openInterest'

/** One Parquet column of the table layout. */
export type LayoutColumn =
  | { name: 'symbol'; type: typeof PT.BYTE_ARRAY; typeName: 'BYTE_ARRAY'; role: 'symbol' }
  | { name: 'date'; type: typeof PT.INT32; typeName: 'INT32'; role: 'date' }
  | { name: string; type: typeof PT.DOUBLE; typeName: 'DOUBLE'; role: 'number'; key: NumericKey }

const double = (name: string, key: NumericKey): LayoutColumn => ({
  name,
  type: PT.DOUBLE,
  typeName: 'DOUBLE',
  role: 'number',
  key,
})

/** Columns in file order; `open_interest` only when the table has it. */
export const LAYOUT: readonly LayoutColumn[] = [
  { name: 'symbol', type: PT.BYTE_ARRAY, typeName: 'BYTE_ARRAY', role: 'symbol' },
  { name: 'date', type: PT.INT32, typeName: 'INT32', role: 'date' },
  double('open', 'open'),
  double('high', 'high'),
  double('low', 'low'),
  double('close', 'close'),
  double('volume', 'volume'),
  double('open_interest', 'openInterest'),
]

/** The table column of each DOUBLE column name of the layout. */
export const FAST_DOUBLES: Readonly<Record<string, NumericKey>> = Object.fromEntries(
  LAYOUT.flatMap((c) => (c.role === 'number' ? [[c.name, c.key]] : [])),
)
