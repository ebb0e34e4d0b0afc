import { describe, expect, it } from "vitest"
import { escapeXmlAttribute, escapeXmlText, toJUnitXml, type JUnitSuite } from "../../reports/junit.js"
import { parseXml } from "./xml.js"

const NASTY = `a "quoted" <tag> & 'apostrophe'\nsecond line\r\n\ttab \u0001 control \uD800 lone surrogate ]]> end`

const SUITE: JUnitSuite = {
  name: "runner-pool check",
  timeSeconds: 12.3456,
  testCases: [
    { name: "steady (seed 1)", classname: "scenarios/steady.yaml", timeSeconds: 0.5 },
    {
      name: "burst (seed 1)",
      classname: "scenarios/burst.yaml",
      timeSeconds: 1.25,
      failure: { message: "expect waitSeconds.p95: expected <= 180, got 190.2\nexpect violations: expected == 0, got 2", details: NASTY }
    },
    { name: `odd ${NASTY}`, classname: "x.yaml", timeSeconds: 0, error: { message: NASTY, details: "trace not found" } }
  ]
}

describe("toJUnitXml", () => {
  it("writes a well-formed document", () => {
    const root = parseXml(toJUnitXml(SUITE))
    expect(root.name).toBe("testsuite")
    expect(root.children.map((child) => child.name)).toEqual(["testcase", "testcase", "testcase"])
  })

  it("counts tests, failures and errors", () => {
    const root = parseXml(toJUnitXml(SUITE))
    expect(root.attributes["tests"]).toBe("3")
    expect(root.attributes["failures"]).toBe("1")
    expect(root.attributes["errors"]).toBe("1")
    expect(root.attributes["time"]).toBe("12.346")
  })

  it("keeps failure messages intact", () => {
    const burst = parseXml(toJUnitXml(SUITE)).children[1]!
    expect(burst.attributes["name"]).toBe("burst (seed 1)")
    expect(burst.attributes["time"]).toBe("1.250")
    const failure = burst.children[0]!
    expect(failure.name).toBe("failure")
    expect(failure.attributes["message"]).toBe(SUITE.testCases[1]!.failure!.message)
  })

  it("escapes markup and replaces forbidden characters", () => {
    const odd = parseXml(toJUnitXml(SUITE)).children[2]!
    const readable = NASTY.replace("\u0001", "\uFFFD").replace("\uD800", "\uFFFD")
    expect(odd.attributes["name"]).toBe(`odd ${readable}`)
    expect(odd.children[0]!.name).toBe("error")
    expect(odd.children[0]!.attributes["message"]).toBe(readable)
    expect(parseXml(toJUnitXml(SUITE)).children[1]!.children[0]!.text).toBe(readable)
  })

  it("passing test case has no children", () => {
    const steady = parseXml(toJUnitXml(SUITE)).children[0]!
    expect(steady.children).toEqual([])
    expect(toJUnitXml(SUITE)).toContain('<testcase name="steady (seed 1)" classname="scenarios/steady.yaml" time="0.500"/>')
  })
})

describe("XML escaping", () => {
  it("text escapes markup only", () => {
    expect(escapeXmlText(`<a href="x">&</a>`)).toBe(`&lt;a href="x"&gt;&amp;&lt;/a&gt;`)
  })

  it("attributes keep line breaks as references", () => {
    expect(escapeXmlAttribute(`"a"\n'b'\tc`)).toBe("&quot;a&quot;&#10;&apos;b&apos;&#9;c")
  })

  it("parser rejects unescaped input", () => {
    expect(() => parseXml(`<a b="1 < 2"/>`)).toThrow(/raw </)
    expect(() => parseXml(`<a>fish & chips</a>`)).toThrow(/bare &/)
    expect(() => parseXml(`<a><b></a>`)).toThrow(/expected <\/b>/)
    expect(() => parseXml(`<a>\u0001</a>`)).toThrow(/not allowed/)
  })
})
