export { TtlCache } from './ttl-cache.ts'
export { defaultCacheDir } from './cache-dir.ts'
export { encodeValue, decodeValue, pickCodec, CODEC_IDS } from './codec.ts'
/** @public The error classes callers branch on (`instanceof`), whether or not the workspace does. */
export { CacheError, CacheOptionError, CacheSerializeError, CacheWriteError } from './errors.ts'
export type { CacheErrorCode } from './errors.ts'
export type { EncodedValue } from './codec.ts'
export type * from './types.ts'
