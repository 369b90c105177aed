import { NextResponse, type NextRequest } from "next/server";

/**
 * Sends signed-out visitors of console pages to sign-in with the page they wanted as callbackUrl.
 * Only checks that a session cookie is present (cheap); the pages verify the session itself.
 */
export function proxy(request: NextRequest) {
  const hasSession =
    request.cookies.has("authjs.session-token") || request.cookies.has("__Secure-authjs.session-token");
  if (hasSession) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/signin";
  url.search = `?callbackUrl=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = { matcher: ["/o/:path*", "/onboarding"] };
