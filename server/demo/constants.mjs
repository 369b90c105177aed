// The demo organization that `npm start` seeds on its embedded database. One definition for the
// seed, the start banner, the sign-in page and the README, so they cannot disagree. Plain JS so the
// dependency-free start script can read it too.
export const DEMO_ADMIN = Object.freeze({ email: "admin@demo.helix.local", password: "helix-demo-admin", name: "Demo Admin" });
export const DEMO_ORG = Object.freeze({ name: "Demo Org", slug: "demo" });
