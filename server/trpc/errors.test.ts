import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Prisma } from "@/server/generated/prisma/client";
import { DomainError, badRequest, conflict, notFound } from "@/server/errors/domain-error";
import { describeZodError, formatError, toTRPCError } from "./errors";

const prismaError = (code: string) =>
  new Prisma.PrismaClientKnownRequestError(`Invalid \`prisma.organization.create()\` invocation: ${code} at postgres://admin:s3cret@db`, {
    code,
    clientVersion: "7.0.0",
  });

/** The default shape tRPC hands the formatter (as in development: with a stack). */
function shapeFor(error: TRPCError, httpStatus: number) {
  return {
    message: error.message,
    code: -32000,
    data: { code: error.code, httpStatus, path: "org.create", stack: error.stack },
  };
}

describe("toTRPCError", () => {
  it("maps a domain error to its code and keeps its message", () => {
    const mapped = toTRPCError(notFound("Member"));
    expect(mapped).toBeInstanceOf(TRPCError);
    expect(mapped).toMatchObject({ code: "NOT_FOUND", message: "Member not found" });
  });

  it("maps a unique-constraint violation (P2002) to CONFLICT without the database's words", () => {
    expect(toTRPCError(prismaError("P2002"))).toMatchObject({ code: "CONFLICT", message: "That value is already taken" });
  });

  it("maps a row gone between read and write (P2025) to NOT_FOUND", () => {
    expect(toTRPCError(prismaError("P2025"))).toMatchObject({ code: "NOT_FOUND", message: "Not found" });
  });

  it("leaves other errors alone", () => {
    expect(toTRPCError(prismaError("P1001"))).toBeNull();
    expect(toTRPCError(new Error("boom"))).toBeNull();
  });

  it("unwraps what tRPC wrapped: a procedure's thrown domain error arrives as the cause of an internal error", () => {
    const wrapped = new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: conflict("Slug taken", "slug") });
    expect(toTRPCError(wrapped)).toMatchObject({ code: "CONFLICT", message: "Slug taken" });
    const plain = new TRPCError({ code: "FORBIDDEN", message: "No" });
    expect(toTRPCError(plain)).toBe(plain);
  });
});

describe("formatError", () => {
  it("hides the internals of a 5xx behind a plain apology and drops the stack", () => {
    const error = new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "connect ECONNREFUSED postgres://admin:s3cret@db:5432" });
    const formatted = formatError({ shape: shapeFor(error, 500), error });
    expect(formatted.message).toBe("Something went wrong on our side. The error has been logged; please try again.");
    expect(JSON.stringify(formatted)).not.toContain("s3cret");
    expect(formatted.data).not.toHaveProperty("stack");
  });

  it("turns a zod failure into one readable line plus field errors", () => {
    const schema = z.object({ name: z.string().max(3, "Too long (at most 3 characters)"), slug: z.string().min(2, "Too short") });
    const zodError = schema.safeParse({ name: "abcdef", slug: "a" }).error!;
    const error = new TRPCError({ code: "BAD_REQUEST", cause: zodError });
    const formatted = formatError({ shape: shapeFor(error, 400), error });
    expect(formatted.message).toBe("name: Too long (at most 3 characters); slug: Too short");
    expect(formatted.data.fieldErrors).toEqual({ name: ["Too long (at most 3 characters)"], slug: ["Too short"] });
    expect(formatted.data).not.toHaveProperty("stack");
  });

  it("puts a domain error's field into fieldErrors", () => {
    const error = toTRPCError(badRequest("Pick a later date", "startsAt"))!;
    const formatted = formatError({ shape: shapeFor(error, 400), error });
    expect(formatted.message).toBe("Pick a later date");
    expect(formatted.data.fieldErrors).toEqual({ startsAt: ["Pick a later date"] });
  });

  it("keeps a 4xx message as it is", () => {
    const error = toTRPCError(new DomainError("FORBIDDEN", "Only an owner can do that"))!;
    expect(formatError({ shape: shapeFor(error, 403), error }).message).toBe("Only an owner can do that");
  });
});

describe("describeZodError", () => {
  it("names nested paths and keeps path-less issues as they are", () => {
    const nested = z.object({ a: z.object({ b: z.number({ message: "Give a number" }) }) }).safeParse({ a: { b: "x" } }).error!;
    expect(describeZodError(nested)).toBe("a.b: Give a number");
    const whole = z.string().refine(() => false, "Whole value is wrong").safeParse("x").error!;
    expect(describeZodError(whole)).toBe("Whole value is wrong");
  });
});

describe("field errors of nested inputs", () => {
  it("are keyed by the dotted path of the field", async () => {
    const { z } = await import("zod");
    const { fieldErrorsOf } = await import("./errors");
    const schema = z.object({ config: z.object({ targets: z.array(z.object({ weight: z.number().max(10, "Too heavy") })) }) });
    const result = schema.safeParse({ config: { targets: [{ weight: 1 }, { weight: 99 }] } });
    expect(fieldErrorsOf(result.error!)).toEqual({ "config.targets.1.weight": ["Too heavy"] });
  });
});
