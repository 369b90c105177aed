import packageJson from "@/package.json" with { type: "json" };

/** The version of this HelixAgent (package.json). Server code only: the browser gets it as a prop. */
export const HELIX_VERSION: string = packageJson.version;
