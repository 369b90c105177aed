const day = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/** "Nov 25, 2026": the same text on every server, whatever its time zone. */
export const formatDay = (date: Date) => day.format(date);
