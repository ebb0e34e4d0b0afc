/**
 * A strict parser for the subset of XML 1.0 that JUnit reports use: an
 * optional XML declaration, elements, double- or single-quoted attributes,
 * text, the five predefined entities and numeric character references. No
 * comments, CDATA, DTDs or processing instructions beyond the declaration.
 * It throws on anything that is not well-formed in that subset, so tests can
 * check escaping without an XML library.
 */

/** A parsed element: attribute values and text with references replaced. */
export interface XmlElement {
  readonly name: string
  readonly attributes: Readonly<Record<string, string>>
  readonly children: ReadonlyArray<XmlElement>
  /** Text directly inside the element, concatenated. */
  readonly text: string
}

const NAME = /^[A-Za-z_][\w.-]*/
const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }
// eslint-disable-next-line no-control-regex -- the pattern names the control characters that XML 1.0 forbids.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/

/** Parses a document and returns its root element. Throws an Error naming the offset of the first problem. */
export const parseXml = (document: string): XmlElement => {
  const forbidden = FORBIDDEN.exec(document)
  if (forbidden !== null) throw new Error(`character U+${forbidden[0].charCodeAt(0).toString(16)} is not allowed in XML 1.0, at ${forbidden.index}`)
  let position = 0
  const fail = (problem: string): never => {
    throw new Error(`${problem} at offset ${position}: ${JSON.stringify(document.slice(position, position + 30))}`)
  }
  const skipSpace = () => {
    while (/\s/.test(document[position] ?? "")) position += 1
  }
  const decode = (raw: string): string => {
    if (raw.includes("<")) fail("raw < in text or attribute")
    return raw.replace(/&([^;]*);|&/g, (match, body: string | undefined) => {
      if (body === undefined) return fail("bare &")
      if (body.startsWith("#x")) return String.fromCodePoint(Number.parseInt(body.slice(2), 16))
      if (body.startsWith("#")) return String.fromCodePoint(Number(body.slice(1)))
      return ENTITIES[body] ?? fail(`unknown entity ${match}`)
    })
  }

  const parseElement = (): XmlElement => {
    if (document[position] !== "<") fail("expected <")
    position += 1
    const name = NAME.exec(document.slice(position))?.[0] ?? fail("expected an element name")
    position += name.length
    const attributes: Record<string, string> = {}
    for (;;) {
      const before = position
      skipSpace()
      if (document.startsWith("/>", position)) {
        position += 2
        return { name, attributes, children: [], text: "" }
      }
      if (document[position] === ">") {
        position += 1
        break
      }
      if (position === before) fail("expected a space before an attribute")
      const attribute = NAME.exec(document.slice(position))?.[0] ?? fail("expected an attribute name")
      position += attribute.length
      if (document[position] !== "=") fail("expected =")
      const quote = document[position + 1]
      if (quote !== '"' && quote !== "'") fail("expected a quoted attribute value")
      const end = document.indexOf(quote!, position + 2)
      if (end < 0) fail("unterminated attribute value")
      if (Object.hasOwn(attributes, attribute)) fail(`duplicate attribute ${attribute}`)
      attributes[attribute] = decode(document.slice(position + 2, end))
      position = end + 1
    }

    const children: Array<XmlElement> = []
    let text = ""
    for (;;) {
      const next = document.indexOf("<", position)
      if (next < 0) fail(`unclosed element ${name}`)
      text += decode(document.slice(position, next))
      position = next
      if (document.startsWith("</", position)) {
        position += 2
        if (!document.startsWith(`${name}>`, position)) fail(`expected </${name}>`)
        position += name.length + 1
        return { name, attributes, children, text }
      }
      children.push(parseElement())
    }
  }

  if (document.startsWith("<?xml")) {
    const end = document.indexOf("?>")
    if (end < 0) fail("unterminated XML declaration")
    position = end + 2
  }
  skipSpace()
  const root = parseElement()
  skipSpace()
  if (position !== document.length) fail("content after the root element")
  return root
}
