// The Parquet layout of a column table as `writeParquet` writes it and the fast path of `readParquet` expects it.

/** Parquet physical types used here. */
export const PT = { INT32: 1, DOUBLE: 5, BYTE_ARRAY: 6 } as const

type NumericKey = 'open' | 'high' | 'low' | 'close' | 'volume'

/** One Parquet column of the table layout. */
export interface LayoutColumn {
  /** Column name in the file. */
  name: string
  /** Physical type (PT). */
  type: number
  /** hyparquet's name of the physical type. */
  typeName: 'BYTE_ARRAY' | 'INT32' | 'DOUBLE'
  /** The Float64 table column it maps to (for DOUBLE columns other than open_interest). */
  key: NumericKey
}

/** Columns in file order; `open_interest` only when the table has it. */
export const LAYOUT: LayoutColumn[] = [
  { name: 'symbol', type: PT.BYTE_ARRAY, typeName: 'BYTE_ARRAY', key: 'open' },
  { name: 'date', type: PT.INT32, typeName: 'INT32', key: 'open' },
  { name: 'open', type: PT.DOUBLE, typeName: 'DOUBLE', key: 'open' },
  { name: 'high', type: PT.DOUBLE, typeName: 'DOUBLE', key: 'high' },
  { name: 'low', type: PT.DOUBLE, typeName: 'DOUBLE', key: 'low' },
  { name: 'close', type: PT.DOUBLE, typeName: 'DOUBLE', key: 'close' },
  { name: 'volume', type: PT.DOUBLE, typeName: 'DOUBLE', key: 'volume' },
  { name: 'open_interest', type: PT.DOUBLE, typeName: 'DOUBLE', key: 'open' },
]
