import { describe, expect, it } from "vitest";
import { describeHour, heatLevel, prepareHeatmap } from "./heatmap";

describe("prepareHeatmap", () => {
  it("gives all 168 hours, Monday first, with missing hours at zero", () => {
    const model = prepareHeatmap({ cells: [{ weekday: 1, hour: 14, requests: 40 }, { weekday: 6, hour: 23, requests: 10 }], max: 40 });
    expect(model.rows).toHaveLength(7);
    expect(model.rows.map((r) => r.label)).toEqual(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
    expect(model.rows.flatMap((r) => r.cells)).toHaveLength(168);
    expect(model.rows[1]!.cells[14]).toMatchObject({ requests: 40, level: 4, label: "Tuesday 14:00–15:00 UTC: 40 requests" });
    expect(model.rows[6]!.cells[23]).toMatchObject({ requests: 10, level: 1, label: "Sunday 23:00–00:00 UTC: 10 requests" });
    expect(model.rows[0]!.cells[0]).toMatchObject({ requests: 0, level: 0 });
    expect(model.total).toBe(50);
    expect(model.empty).toBe(false);
    expect(describeHour(model.busiest!)).toBe("Tuesday 14:00 UTC");
  });

  it("ignores cells outside the week and sums duplicates", () => {
    const model = prepareHeatmap({
      cells: [
        { weekday: 7, hour: 0, requests: 5 },
        { weekday: 0, hour: 24, requests: 5 },
        { weekday: -1, hour: 3, requests: 5 },
        { weekday: 2, hour: 3, requests: 2 },
        { weekday: 2, hour: 3, requests: 3 },
      ],
      max: 0,
    });
    expect(model.total).toBe(5);
    expect(model.max).toBe(5);
  });

  it("is empty without requests and keeps only the zero level in the legend", () => {
    const model = prepareHeatmap({ cells: [], max: 0 });
    expect(model.empty).toBe(true);
    expect(model.busiest).toBeNull();
    expect(model.legend).toEqual([{ level: 0, label: "0" }]);
  });

  it("buckets intensity in even steps of the busiest hour", () => {
    expect([0, 1, 25, 26, 50, 75, 76, 100].map((n) => heatLevel(n, 100))).toEqual([0, 1, 1, 2, 2, 3, 4, 4]);
    expect(heatLevel(3, 0)).toBe(0);
    expect(prepareHeatmap({ cells: [{ weekday: 0, hour: 0, requests: 100 }], max: 100 }).legend.map((l) => l.label)).toEqual(["0", "1–25", "26–50", "51–75", "76–100"]);
  });
});
