/**
 * CSV as RFC 4180 writes it (CRLF rows; a field with a comma, quote or line break is quoted and its
 * quotes doubled), plus the spreadsheet formula-injection guard: a text cell starting with = + - @
 * (or a tab or carriage return, which some spreadsheets skip before reading a formula) gets a
 * leading apostrophe, so Excel, LibreOffice and Google Sheets show it as text instead of running it.
 * Numbers, booleans and dates are written as values and never guarded.
 */

export type CsvCell = string | number | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === "number") text = Number.isFinite(value) ? String(value) : "";
  else if (typeof value === "boolean") text = value ? "true" : "false";
  else text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
