import { describe, expect, it } from "vitest";
import { cronEvery } from "./queues";

describe("cronEvery", () => {
  it.each([
    [1, "*/1 * * * *"],
    [15, "*/15 * * * *"],
    [59, "*/59 * * * *"],
    [60, "0 */1 * * *"],
    [150, "0 */3 * * *"],
    [24 * 60, "0 0 * * *"],
    [7 * 24 * 60, "0 0 * * *"],
  ])("%i minutes → %s", (minutes, cron) => {
    expect(cronEvery(minutes)).toBe(cron);
  });
});
