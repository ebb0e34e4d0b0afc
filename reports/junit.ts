/** A failure or error of a JUnit test case. */
export interface JUnitProblem {
  /** Short description, written to the `message` attribute. It may span lines. */
  readonly message: string
  /** Full description, written as the element's text. */
  readonly details: string
}

/** One `<testcase>` of a JUnit report. */
export interface JUnitTestCase {
  readonly name: string
  /** Group of the test case; CI tools show it as the class or file. */
  readonly classname: string
  readonly timeSeconds: number
  /** A check that did not hold: the `<failure>` element. */
  readonly failure?: JUnitProblem | undefined
  /** A test case that could not run: the `<error>` element. */
  readonly error?: JUnitProblem | undefined
}

/** One `<testsuite>` of a JUnit report. */
export interface JUnitSuite {
  readonly name: string
  readonly timeSeconds: number
  readonly testCases: ReadonlyArray<JUnitTestCase>
}

/**
 * Renders a JUnit XML report whose root element is one `<testsuite>`. The
 * counts of tests, failures and errors are computed from the test cases.
 * Every text and attribute value is escaped, so the document is well-formed
 * XML 1.0 whatever the messages contain.
 */
export const toJUnitXml = (suite: JUnitSuite): string => {
  const failures = suite.testCases.filter((testCase) => testCase.failure !== undefined).length
  const errors = suite.testCases.filter((testCase) => testCase.error !== undefined).length
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite ${attributes({
      name: suite.name,
      tests: String(suite.testCases.length),
      failures: String(failures),
      errors: String(errors),
      skipped: "0",
      time: seconds(suite.timeSeconds)
    })}>`
  ]
  for (const testCase of suite.testCases) {
    const opening = `  <testcase ${attributes({ name: testCase.name, classname: testCase.classname, time: seconds(testCase.timeSeconds) })}`
    const problems = [
      ...(testCase.failure === undefined ? [] : [problemElement("failure", testCase.failure)]),
      ...(testCase.error === undefined ? [] : [problemElement("error", testCase.error)])
    ]
    if (problems.length === 0) {
      lines.push(`${opening}/>`)
    } else {
      lines.push(`${opening}>`, ...problems, "  </testcase>")
    }
  }
  lines.push("</testsuite>")
  return `${lines.join("\n")}\n`
}

const problemElement = (tag: "failure" | "error", problem: JUnitProblem): string =>
  `    <${tag} ${attributes({ message: problem.message, type: tag === "failure" ? "CheckFailure" : "CheckError" })}>${escapeXmlText(problem.details)}</${tag}>`

const attributes = (values: Readonly<Record<string, string>>): string =>
  Object.entries(values)
    .map(([name, value]) => `${name}="${escapeXmlAttribute(value)}"`)
    .join(" ")

const seconds = (value: number): string => (Number.isFinite(value) && value >= 0 ? value.toFixed(3) : "0.000")

/**
 * Characters that XML 1.0 does not allow at all, even escaped: C0 controls
 * other than tab, line feed and carriage return, lone UTF-16 surrogates, and
 * U+FFFE and U+FFFF. They are replaced by U+FFFD.
 */
// eslint-disable-next-line no-control-regex -- the pattern must name the control characters that it removes.
const INVALID_XML_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Escapes text for XML element content: `&`, `<`, `>` and carriage returns,
 * which a parser would otherwise fold into line feeds. Replaces characters
 * that XML 1.0 forbids.
 */
export const escapeXmlText = (text: string): string =>
  text
    .replace(INVALID_XML_CHARACTERS, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r/g, "&#13;")

/**
 * Escapes text for a double-quoted XML attribute value. Besides what
 * `escapeXmlText` escapes, it writes quotes, tabs and line breaks as
 * references, because an XML parser turns raw ones in attributes into spaces.
 */
export const escapeXmlAttribute = (text: string): string =>
  escapeXmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
