// Console output for the project's scripts: headings, notes, warnings, durations.
import process from 'node:process';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

export const bold = paint('1');
export const dim = paint('2');
export const red = paint('31');
export const green = paint('32');
export const yellow = paint('33');
export const cyan = paint('36');

export function heading(text) {
  console.log(`\n${bold(cyan('▶'))} ${bold(text)}`);
}

export function note(text) {
  console.log(`  ${text}`);
}

export function warn(text) {
  console.warn(`${yellow('warning:')} ${text}`);
}

export function fail(text) {
  console.error(`${red('error:')} ${text}`);
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Runs `fn` under a heading and prints how long it took. */
export async function timed(title, fn) {
  heading(title);
  const started = Date.now();
  const result = await fn();
  note(dim(`done in ${seconds(Date.now() - started)}`));
  return result;
}
