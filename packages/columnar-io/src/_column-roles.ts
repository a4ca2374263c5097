// Which OHLCV column a named column is: CSV header fields and the columns of other tools' Parquet files.

/** What a field holds. */
export const ROLE = {
  ignore: 0,
  date: 1,
  open: 2,
  high: 3,
  low: 4,
  close: 5,
  volume: 6,
  openInterest: 7,
  symbol: 8,
} as const

/** Column names (lower case, without spaces, `_`, `.` or `-`) and the role they stand for. */
export const NAMES: Record<string, number> = {
  date: ROLE.date,
  day: ROLE.date,
  datetime: ROLE.date,
  timestamp: ROLE.date,
  time: ROLE.date,
  tradedate: ROLE.date,
  open: ROLE.open,
  o: ROLE.open,
  high: ROLE.high,
  h: ROLE.high,
  low: ROLE.low,
  l: ROLE.low,
  close: ROLE.close,
  c: ROLE.close,
  last: ROLE.close,
  price: ROLE.close,
  volume: ROLE.volume,
  vol: ROLE.volume,
  v: ROLE.volume,
  openinterest: ROLE.openInterest,
  oi: ROLE.openInterest,
  name: ROLE.symbol,
  symbol: ROLE.symbol,
  ticker: ROLE.symbol,
  code: ROLE.symbol,
}
