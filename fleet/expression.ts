/**
 * A safe arithmetic evaluator (no eval, no Function): a recursive-descent parser over
 *
 *   expression := term (("+" | "-") term)*
 *   term       := unary (("*" | "/" | "%") unary)*
 *   unary      := ("+" | "-") unary | power
 *   power      := primary ("^" unary)?            (right-associative; -2^2 = -4)
 *   primary    := number | constant | function "(" arguments ")" | "(" expression ")"
 *
 * Numbers may have a fraction and an exponent (1.5e3). Constants: pi, e. Functions: sqrt, abs,
 * floor, ceil, round, min, max. `**` is accepted as a synonym of `^`.
 */

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

export const MAX_EXPRESSION_LENGTH = 1000;
const MAX_DEPTH = 64;

type Token =
  | { kind: "number"; value: number; pos: number }
  | { kind: "name"; value: string; pos: number }
  | { kind: "op"; value: string; pos: number }
  | { kind: "end"; pos: number };

const CONSTANTS = new Map<string, number>([
  ["pi", Math.PI],
  ["e", Math.E],
]);

interface MathFunction {
  arity: [number, number];
  apply: (args: number[], pos: number) => number;
}

const unary = (f: (x: number) => number): MathFunction => ({ arity: [1, 1], apply: ([x = 0]) => f(x) });

/** A Map, not an object literal: names like "constructor" must not resolve to prototype members. */
const FUNCTIONS = new Map<string, MathFunction>([
  [
    "sqrt",
    {
      arity: [1, 1],
      apply: ([x = 0], pos) => {
        if (x < 0) throw new ExpressionError("square root of a negative number", pos);
        return Math.sqrt(x);
      },
    },
  ],
  ["abs", unary(Math.abs)],
  ["floor", unary(Math.floor)],
  ["ceil", unary(Math.ceil)],
  ["round", unary(Math.round)],
  ["min", { arity: [1, 32], apply: (args) => Math.min(...args) }],
  ["max", { arity: [1, 32], apply: (args) => Math.max(...args) }],
]);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const numberMatch = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (numberMatch) {
      tokens.push({ kind: "number", value: Number(numberMatch[0]), pos: i });
      i += numberMatch[0].length;
      continue;
    }
    const nameMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (nameMatch) {
      tokens.push({ kind: "name", value: nameMatch[0].toLowerCase(), pos: i });
      i += nameMatch[0].length;
      continue;
    }
    if (source.startsWith("**", i)) {
      tokens.push({ kind: "op", value: "^", pos: i });
      i += 2;
      continue;
    }
    if ("+-*/%^(),".includes(ch)) {
      tokens.push({ kind: "op", value: ch, pos: i });
      i++;
      continue;
    }
    throw new ExpressionError(`unexpected character '${ch}' at position ${i + 1}`, i);
  }
  tokens.push({ kind: "end", pos: source.length });
  return tokens;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): number {
    const value = this.expression();
    const next = this.peek();
    if (next.kind !== "end") throw new ExpressionError(`unexpected ${describe(next)} at position ${next.pos + 1}`, next.pos);
    return value;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: "end", pos: 0 };
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index++;
    return token;
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token.kind === "op" && token.value === value;
  }

  private expect(value: string): void {
    const token = this.take();
    if (token.kind !== "op" || token.value !== value) {
      throw new ExpressionError(`expected '${value}' but found ${describe(token)} at position ${token.pos + 1}`, token.pos);
    }
  }

  private nested<T>(pos: number, fn: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ExpressionError("expression is nested too deeply", pos);
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private expression(): number {
    let value = this.term();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.take();
      const right = this.term();
      value = op.kind === "op" && op.value === "+" ? value + right : value - right;
    }
    return value;
  }

  private term(): number {
    let value = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = this.take();
      const right = this.unary();
      const symbol = op.kind === "op" ? op.value : "*";
      if ((symbol === "/" || symbol === "%") && right === 0) throw new ExpressionError("division by zero", op.pos);
      value = symbol === "*" ? value * right : symbol === "/" ? value / right : value % right;
    }
    return value;
  }

  private unary(): number {
    const token = this.peek();
    if (token.kind === "op" && (token.value === "-" || token.value === "+")) {
      this.take();
      const operand = this.nested(token.pos, () => this.unary());
      return token.value === "-" ? -operand : operand;
    }
    return this.power();
  }

  private power(): number {
    const base = this.primary();
    if (this.isOp("^")) {
      const op = this.take();
      const exponent = this.nested(op.pos, () => this.unary());
      if (base === 0 && exponent < 0) throw new ExpressionError("division by zero", op.pos);
      const value = Math.pow(base, exponent);
      if (Number.isNaN(value)) throw new ExpressionError("result is not a real number", op.pos);
      return value;
    }
    return base;
  }

  private primary(): number {
    const token = this.take();
    if (token.kind === "number") return token.value;
    if (token.kind === "op" && token.value === "(") {
      const value = this.nested(token.pos, () => this.expression());
      this.expect(")");
      return value;
    }
    if (token.kind === "name") {
      const fn = FUNCTIONS.get(token.value);
      if (fn) return this.call(token.value, token.pos, fn);
      const constant = CONSTANTS.get(token.value);
      if (constant !== undefined) return constant;
      throw new ExpressionError(`unknown name '${token.value}' at position ${token.pos + 1}`, token.pos);
    }
    throw new ExpressionError(`unexpected ${describe(token)} at position ${token.pos + 1}`, token.pos);
  }

  private call(name: string, pos: number, fn: MathFunction): number {
    this.expect("(");
    const args: number[] = [];
    if (!this.isOp(")")) {
      args.push(this.nested(pos, () => this.expression()));
      while (this.isOp(",")) {
        this.take();
        args.push(this.nested(pos, () => this.expression()));
      }
    }
    this.expect(")");
    const [minArgs, maxArgs] = fn.arity;
    if (args.length < minArgs || args.length > maxArgs) {
      const expected = minArgs === maxArgs ? `${minArgs}` : `${minArgs} to ${maxArgs}`;
      throw new ExpressionError(`${name}() takes ${expected} argument(s), got ${args.length}`, pos);
    }
    return fn.apply(args, pos);
  }
}

function describe(token: Token): string {
  if (token.kind === "end") return "end of expression";
  if (token.kind === "number") return `number ${token.value}`;
  return `'${token.value}'`;
}

/** Evaluates an arithmetic expression; throws ExpressionError on bad input or an undefined result. */
export function evaluateExpression(source: string): number {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH);
  }
  if (source.trim() === "") throw new ExpressionError("expression is empty", 0);
  const value = new Parser(tokenize(source)).parse();
  if (!Number.isFinite(value)) throw new ExpressionError("result is not a finite number", 0);
  return Object.is(value, -0) ? 0 : value;
}
