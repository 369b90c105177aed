// Types for constants.mjs (plain JS so that `node e2e/idp/server.mjs` can import it).
export declare const APP_PORT: number;
export declare const APP_URL: string;

export declare const IDP_HOST: string;
export declare const IDP_PORT: number;
export declare const IDP_ISSUER: string;
export declare const IDP_CLIENT_ID: string;
export declare const IDP_CLIENT_SECRET: string;
export declare const IDP_REDIRECT_URIS: string[];
export declare const IDP_DISPLAY_NAME: string;

export declare const IDP_EMAIL_DOMAIN: string;
export declare const IDP_UNVERIFIED_PREFIX: string;

export interface IdpClaims {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
}
export declare function idpClaimsFor(login: string): IdpClaims;

export declare const IDP_SELECTORS: {
  readonly loginInput: string;
  readonly passwordInput: string;
  readonly submitButton: string;
  readonly cancelLink: string;
};

export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export declare const FLEET_BASE_PORT: number;
export declare const FLEET_CONTROL_URL: string;
