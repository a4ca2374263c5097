// The one symbol-interning helper of the package: names to dense int32 codes, in order of first appearance.

/**
 * A symbol dictionary: `names[code]` is a symbol, `code(name)` its code (added at the end when new).
 * @example
 * const dict = new SymbolDictionary()
 * dict.code('AAPL') // 0
 * dict.code('MSFT') // 1
 * dict.code('AAPL') // 0
 */
export class SymbolDictionary {
  /** The names in code order (the table's `symbols`); grown only through {@link SymbolDictionary.code}. */
  readonly names: string[]
  #index = new Map<string, number>()

  /**
   * @param names - Names already coded 0..n-1, adopted (not copied); a repeated name keeps its first code.
   */
  constructor(names: string[] = []) {
    this.names = names
    names.forEach((name, code) => {
      if (!this.#index.has(name)) this.#index.set(name, code)
    })
  }

  /**
   * The code of `name`, added at the end when it is new.
   * @param name - The symbol.
   */
  code(name: string): number {
    let code = this.#index.get(name)
    if (code === undefined) {
      code = this.names.length
      this.names.push(name)
      this.#index.set(name, code)
    }
    return code
  }

  /**
   * The codes in this dictionary of another dictionary's names (added when new): `remap[theirCode]` is our code.
   * @param names - The other dictionary's names in code order.
   */
  remap(names: readonly string[]): Int32Array {
    const map = new Int32Array(names.length)
    for (let i = 0; i < names.length; i++) map[i] = this.code(names[i]!)
    return map
  }
}
