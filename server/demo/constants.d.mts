export declare const DEMO_ADMIN: Readonly<{ email: "admin@demo.helix.local"; password: "helix-demo-admin"; name: "Demo Admin" }>;
export declare const DEMO_ORG: Readonly<{ name: "Demo Org"; slug: "demo" }>;
