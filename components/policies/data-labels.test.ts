import { describe, expect, it } from "vitest";
import { dataLabelSchema } from "@/server/policies/schema";
import { dataLabelsProblem, formatDataLabels, parseDataLabels } from "./data-labels";

describe("data labels", () => {
  it("parses a comma-separated line, upper-cased, without repeats", () => {
    expect(parseDataLabels(" phi, EU ,,Phi\nus")).toEqual(["PHI", "EU", "US"]);
    expect(parseDataLabels("  ")).toEqual([]);
    expect(formatDataLabels(["PHI", "EU"])).toBe("PHI, EU");
  });

  it("agrees with the server's rule", () => {
    for (const label of ["PHI", "EU", "GDPR:ART9", "TIER_1", "A.B-C", "X Y", "-PHI", "ÄU", "A".repeat(41)]) {
      expect(dataLabelsProblem([label]) === null, label).toBe(dataLabelSchema.safeParse(label).success);
    }
  });

  it("names the labels that are wrong and the limit", () => {
    expect(dataLabelsProblem(["PHI", "X Y"])).toMatch(/^“X Y” is not a valid data label/);
    expect(dataLabelsProblem(["X Y", "-A"])).toMatch(/^“X Y”, “-A” are not valid data labels/);
    expect(dataLabelsProblem(Array.from({ length: 21 }, (_, i) => `L${i}`))).toBe("At most 20 data labels");
  });
});
