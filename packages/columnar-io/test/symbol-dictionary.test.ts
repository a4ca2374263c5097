import { describe, expect, it } from 'vitest'
import { SymbolDictionary } from '../src/_symbol-dictionary.ts'

describe('SymbolDictionary', () => {
  it('codes names in order of first appearance and remaps another dictionary', () => {
    const dict = new SymbolDictionary()
    expect(['B', 'A', 'B', 'C', 'A'].map((s) => dict.code(s))).toEqual([0, 1, 0, 2, 1])
    expect(dict.names).toEqual(['B', 'A', 'C'])
    expect(Array.from(dict.remap(['C', 'D', 'B']))).toEqual([2, 3, 0])
    expect(dict.names).toEqual(['B', 'A', 'C', 'D'])
  })

  it('adopts an existing array: later names are appended to it', () => {
    const names = ['X', 'Y']
    const dict = new SymbolDictionary(names)
    expect(dict.code('Y')).toBe(1)
    expect(dict.code('Z')).toBe(2)
    expect(names).toEqual(['X', 'Y', 'Z'])
  })
})
