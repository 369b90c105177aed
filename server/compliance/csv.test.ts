import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv";

describe("csvCell", () => {
  it("writes plain text as it is", () => {
    expect(csvCell("GDPR")).toBe("GDPR");
    expect(csvCell("Art. 5(1)(c)")).toBe("Art. 5(1)(c)");
  });

  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("one\ntwo")).toBe('"one\ntwo"');
    expect(csvCell("one\r\ntwo")).toBe('"one\r\ntwo"');
    expect(csvCell(" padded ")).toBe('" padded "');
  });

  it.each([
    ["=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\""],
    ["+1+2", "'+1+2"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "\"'\r=1\""],
  ])("guards the formula-like text %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("does not guard text that merely contains those characters, nor numbers", () => {
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell("user@example.com")).toBe("user@example.com");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(0.25)).toBe("0.25");
  });

  it("writes dates as ISO 8601, booleans as words and empties as nothing", () => {
    expect(csvCell(new Date(Date.UTC(2026, 0, 5, 8, 0)))).toBe("2026-01-05T08:00:00.000Z");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
  });
});

describe("toCsv", () => {
  it("joins cells with commas and rows with CRLF, ending with a line break", () => {
    expect(
      toCsv([
        ["Control", "Status"],
        ["CC6.1", "PASS"],
        ["=cmd", "a,\"b\""],
      ]),
    ).toBe('Control,Status\r\nCC6.1,PASS\r\n\'=cmd,"a,""b"""\r\n');
  });

  it("round-trips through a strict RFC 4180 reader", () => {
    const rows = [["x", 'he said "no"\nthen left', "", "-1"], ["a,b", "c", "@d", "e"]];
    expect(parseCsv(toCsv(rows))).toEqual([["x", 'he said "no"\nthen left', "", "'-1"], ["a,b", "c", "'@d", "e"]]);
  });
});

/** A minimal RFC 4180 reader, to check the writer against the format rather than against itself. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === "") {
      quoted = true;
      i++;
    } else if (ch === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 2;
    } else {
      field += ch;
      i++;
    }
  }
  return rows;
}
