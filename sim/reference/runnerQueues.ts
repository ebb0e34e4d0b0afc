/**
 * Runners of a reference schedule that execute a run, ordered by the time
 * they become free, ties by runner index: a binary min-heap over indices
 * into `freeAt`.
 */
export class BusyRunners {
  private readonly heap: Array<number> = []

  /** `freeAt[r]` is the time runner `r` becomes free, in milliseconds. It must not change while `r` is in the heap. */
  constructor(private readonly freeAt: ReadonlyArray<number>) {}

  get size(): number {
    return this.heap.length
  }

  /** Time the first runner becomes free, `Infinity` when no runner is busy. */
  get nextFreeAt(): number {
    return this.heap.length === 0 ? Infinity : this.freeAt[this.heap[0]!]!
  }

  push(runner: number): void {
    const heap = this.heap
    heap.push(runner)
    let child = heap.length - 1
    while (child > 0) {
      const parent = (child - 1) >> 1
      if (!this.before(heap[child]!, heap[parent]!)) break
      this.swap(child, parent)
      child = parent
    }
  }

  /** Removes and returns the runner that becomes free first. Throws when the heap is empty. */
  pop(): number {
    const heap = this.heap
    if (heap.length === 0) throw new Error("BusyRunners.pop was called on an empty heap")
    const first = heap[0]!
    const last = heap.pop()!
    if (heap.length === 0) return first
    heap[0] = last
    let parent = 0
    while (true) {
      const left = 2 * parent + 1
      const right = left + 1
      let smallest = parent
      if (left < heap.length && this.before(heap[left]!, heap[smallest]!)) smallest = left
      if (right < heap.length && this.before(heap[right]!, heap[smallest]!)) smallest = right
      if (smallest === parent) return first
      this.swap(parent, smallest)
      parent = smallest
    }
  }

  private before(a: number, b: number): boolean {
    const freeA = this.freeAt[a]!
    const freeB = this.freeAt[b]!
    return freeA < freeB || (freeA === freeB && a < b)
  }

  private swap(i: number, j: number): void {
    const heap = this.heap
    const runner = heap[i]!
    heap[i] = heap[j]!
    heap[j] = runner
  }
}

/**
 * Free runners in the order they became free: a deque of runner indices.
 * The caller pushes runners in nondecreasing free time, so the front is the
 * runner free longest and the back the runner free shortest.
 */
export class FreeRunners {
  private readonly items: Array<number> = []
  private head = 0

  get size(): number {
    return this.items.length - this.head
  }

  /** The runner free longest. Throws when the deque is empty. */
  get front(): number {
    if (this.size === 0) throw new Error("FreeRunners.front was read on an empty deque")
    return this.items[this.head]!
  }

  pushBack(runner: number): void {
    this.items.push(runner)
  }

  /** Removes the runner free longest. Throws when the deque is empty. */
  popFront(): number {
    const runner = this.front
    this.head++
    this.compactWhenEmpty()
    return runner
  }

  /** Removes and returns the runner free shortest. Throws when the deque is empty. */
  popBack(): number {
    if (this.size === 0) throw new Error("FreeRunners.popBack was called on an empty deque")
    const runner = this.items.pop()!
    this.compactWhenEmpty()
    return runner
  }

  /** Drops the consumed front of the array once the deque is empty, so it does not grow with every runner ever freed. */
  private compactWhenEmpty(): void {
    if (this.head === this.items.length) {
      this.items.length = 0
      this.head = 0
    }
  }
}
