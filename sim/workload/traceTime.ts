const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * Parses an ISO-8601 date or date-time (`2011-05-02`, `2011-05-02T08:00`,
 * `2011-05-02T08:00:00+02:00`) into seconds since the Unix epoch. A text
 * without an offset is taken as UTC, never as the host's local time, so the
 * result is the same on every machine. Returns `undefined` for any other
 * text or an impossible date such as February 30.
 */
export const parseTraceStartAt = (text: string): number | undefined => {
  const match = ISO_DATE.exec(text.trim())
  if (match === null) return undefined
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "", offset = "Z"] = match
  const [y, mo, d, h, mi, sec] = [year, month, day, hour, minute, second].map(Number) as [
    number, number, number, number, number, number
  ]
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec)

  const offsetSeconds = offset === "Z" ? 0 : parseOffsetSeconds(offset)
  const fractionSeconds = fraction === "" ? 0 : Number(`0.${fraction}`)
  return ms / 1000 + fractionSeconds - offsetSeconds
}

const daysInMonth = (year: number, month: number): number => {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

const parseOffsetSeconds = (offset: string): number => {
  const sign = offset.startsWith("-") ? -1 : 1
  const digits = offset.slice(1).replace(":", "")
  return sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4)) * 60)
}
