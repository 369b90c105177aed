import { describe, expect, it } from "vitest";
import { evaluateExpression, ExpressionError, MAX_EXPRESSION_LENGTH } from "./expression";

describe("evaluateExpression", () => {
  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 4 - 3", 3],
    ["100 / 10 / 5", 2],
    ["7 % 4", 3],
    ["2 ^ 3 ^ 2", 512],
    ["2 ** 10", 1024],
    ["-2 ^ 2", -4],
    ["(-2) ^ 2", 4],
    ["2 ^ -1", 0.5],
    ["--3", 3],
    ["-(1 + 2) * +4", -12],
    ["1.5e3 + .5", 1500.5],
    ["sqrt(16) + abs(-3)", 7],
    ["min(4, 2, 8) + max(1, 9)", 11],
    ["floor(2.7) + ceil(2.1) + round(2.5)", 8],
    ["  2*pi  ", 2 * Math.PI],
    ["E", Math.E],
    ["-0 * 1", 0],
  ])("%s = %d", (expression, expected) => {
    expect(evaluateExpression(expression)).toBeCloseTo(expected, 12);
  });

  it.each([
    ["1 / 0", /division by zero/],
    ["5 % 0", /division by zero/],
    ["0 ^ -1", /division by zero/],
    ["", /empty/],
    ["1 +", /end of expression/],
    ["(1 + 2", /expected '\)'/],
    ["1 + 2)", /unexpected '\)'/],
    ["2 3", /unexpected number 3/],
    ["sqrt(-1)", /negative/],
    ["(-8) ^ 0.5", /not a real number/],
    ["10 ^ 400", /not a finite number/],
    ["max()", /max\(\) takes 1 to 32/],
    ["abs(1, 2)", /abs\(\) takes 1 argument/],
    ["foo(1)", /unknown name 'foo'/],
    ["constructor", /unknown name/],
    ["toString(1)", /unknown name/],
    ["alert`1`", /unexpected character '`'/],
    ["1; 2", /unexpected character ';'/],
  ])("rejects %j", (expression, message) => {
    expect(() => evaluateExpression(expression)).toThrow(ExpressionError);
    expect(() => evaluateExpression(expression)).toThrow(message);
  });

  it("limits length and nesting instead of overflowing the stack", () => {
    expect(() => evaluateExpression("1+".repeat(MAX_EXPRESSION_LENGTH) + "1")).toThrow(/longer than/);
    expect(() => evaluateExpression("(".repeat(200) + "1" + ")".repeat(200))).toThrow(/nested too deeply/);
    expect(() => evaluateExpression("-".repeat(500) + "1")).toThrow(/nested too deeply/);
    expect(evaluateExpression("(".repeat(30) + "1" + ")".repeat(30))).toBe(1);
  });
});
