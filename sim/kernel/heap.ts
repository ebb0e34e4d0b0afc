/** An entry of the event heap: an action due at a virtual time. */
export interface HeapEntry {
  readonly time: number
  readonly sequence: number
  readonly action: () => void
  /** Set by `cancel`; a cancelled entry is skipped when it reaches the top. */
  cancelled: boolean
}

/**
 * A binary min-heap of entries ordered by (time, sequence). The sequence
 * number is the insertion order, so entries due at the same time run first
 * in, first out, which keeps simulations deterministic.
 */
export class EventHeap {
  private readonly entries: Array<HeapEntry> = []
  private nextSequence = 0

  get size(): number {
    return this.entries.length
  }

  push(time: number, action: () => void): HeapEntry {
    const entry: HeapEntry = { time, sequence: this.nextSequence++, action, cancelled: false }
    const entries = this.entries
    let index = entries.length
    entries.push(entry)
    while (index > 0) {
      const parent = (index - 1) >> 1
      const above = entries[parent]!
      if (!before(entry, above)) break
      entries[index] = above
      index = parent
    }
    entries[index] = entry
    return entry
  }

  /** The earliest entry, cancelled or not, without removing it. */
  peek(): HeapEntry | undefined {
    return this.entries[0]
  }

  /** Removes and returns the earliest entry. */
  pop(): HeapEntry | undefined {
    const entries = this.entries
    const top = entries[0]
    const last = entries.pop()
    if (top === undefined || last === undefined || entries.length === 0) return top
    const size = entries.length
    let index = 0
    while (true) {
      const left = 2 * index + 1
      if (left >= size) break
      const right = left + 1
      const child = right < size && before(entries[right]!, entries[left]!) ? right : left
      if (!before(entries[child]!, last)) break
      entries[index] = entries[child]!
      index = child
    }
    entries[index] = last
    return top
  }
}

const before = (a: HeapEntry, b: HeapEntry): boolean =>
  a.time < b.time || (a.time === b.time && a.sequence < b.sequence)
