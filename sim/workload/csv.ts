import { traceError } from "./errors.js"

const NEWLINE = 10
const CARRIAGE_RETURN = 13
const QUOTE = 34
const COMMA = 44

/** The source and file a CSV text came from, for error messages. */
export interface CsvOrigin {
  readonly source: string
  readonly file: string
}

/**
 * Visits the records of a CSV text whose first row is a header. For each
 * record, `visit` receives the cells of `columns` in that order and the
 * 1-based line the record starts on. The `cells` array is reused between
 * calls, so copy what you keep.
 *
 * Follows RFC 4180: cells are separated by commas, a quoted cell may contain
 * commas, doubled quotes and line breaks, and lines may end in CRLF. Blank
 * lines are ignored. Lines without a quote take a fast path that slices only
 * the requested cells.
 *
 * Throws WorkloadError when a requested column is not in the header, when a
 * record has a different cell count from the header, or when a quote is left open.
 */
export const readCsv = (
  text: string,
  origin: CsvOrigin,
  columns: ReadonlyArray<string>,
  visit: (cells: ReadonlyArray<string>, line: number) => void
): void => {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const header = readQuotedRecord(text, start, 1, origin)
  const headerCells = header.cells.map((cell) => cell.trim())

  const slots = new Int32Array(headerCells.length).fill(-1)
  columns.forEach((column, slot) => {
    const index = headerCells.indexOf(column)
    if (index === -1) {
      throw traceError({ ...origin, line: 1, column }, "column not found in the header", {
        expected: `a header column of that name (the header has: ${headerCells.join(", ")})`
      })
    }
    slots[index] = slot
  })

  const cells: string[] = columns.map(() => "")
  const cellCount = headerCells.length
  let pos = header.next
  let line = 1 + header.lineBreaks

  while (pos < text.length) {
    line++
    // One pass over the line with charCodeAt, storing the requested cells at
    // each comma. A quote sends the record to the full parser below. NOTE: no
    // `indexOf` here: on Node 20.20 (V8 11.3), once a process had parsed the
    // Borg week about six times, a single indexOf over the 15 MB text took 28 s.
    let index = 0
    let cellStart = pos
    let end = pos
    let quoted = false
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end)
      if (code === NEWLINE) break
      if (code === QUOTE) {
        quoted = true
        break
      }
      if (code === COMMA) {
        const slot = index < cellCount ? slots[index]! : -1
        if (slot !== -1) cells[slot] = text.substring(cellStart, end)
        index++
        cellStart = end + 1
      }
    }

    if (!quoted) {
      const lineStart = pos
      const contentEnd = end > lineStart && text.charCodeAt(end - 1) === CARRIAGE_RETURN ? end - 1 : end
      pos = end + 1
      // A blank line has no comma, so nothing was stored for it.
      if (contentEnd === lineStart) continue
      const slot = index < cellCount ? slots[index]! : -1
      if (slot !== -1) cells[slot] = text.substring(cellStart, contentEnd)
      index++
      if (index !== cellCount) throw cellCountError(origin, line, index, cellCount, text.substring(lineStart, contentEnd))
      visit(cells, line)
      continue
    }

    const record = readQuotedRecord(text, pos, line, origin)
    if (record.cells.length !== cellCount) {
      throw cellCountError(origin, line, record.cells.length, cellCount, text.slice(pos, record.next).trimEnd())
    }
    record.cells.forEach((cell, index) => {
      const slot = slots[index]!
      if (slot !== -1) cells[slot] = cell
    })
    visit(cells, line)
    line += record.lineBreaks
    pos = record.next
  }
}

const cellCountError = (origin: CsvOrigin, line: number, actual: number, expected: number, record: string) =>
  traceError({ ...origin, line }, `record has ${actual} cells`, {
    value: record,
    expected: `${expected} cells as in the header`
  })

/**
 * Reads one record starting at `pos` with full quote handling. Returns its
 * cells, the position after its line break and how many line breaks inside
 * quoted cells it spanned.
 */
const readQuotedRecord = (
  text: string,
  pos: number,
  line: number,
  origin: CsvOrigin
): { readonly cells: string[]; readonly next: number; readonly lineBreaks: number } => {
  const cells: string[] = []
  let cell = ""
  let quoted = false
  let lineBreaks = 0
  let i = pos

  while (i < text.length) {
    const char = text[i]!
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"'
        i += 2
        continue
      }
      if (char === '"') quoted = false
      else {
        if (char === "\n") lineBreaks++
        cell += char
      }
      i++
      continue
    }
    if (char === '"') quoted = true
    else if (char === ",") {
      cells.push(cell)
      cell = ""
    } else if (char === "\n") {
      cells.push(cell.endsWith("\r") ? cell.slice(0, -1) : cell)
      return { cells, next: i + 1, lineBreaks }
    } else cell += char
    i++
  }

  if (quoted) {
    throw traceError({ ...origin, line }, "quoted cell is not closed", {
      value: text.slice(pos, Math.min(text.length, pos + 120)),
      expected: "a closing double quote before the end of the file"
    })
  }
  cells.push(cell.endsWith("\r") ? cell.slice(0, -1) : cell)
  return { cells, next: text.length, lineBreaks }
}
