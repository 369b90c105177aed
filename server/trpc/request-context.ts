import { auth, clientIp } from "@/server/auth/config";
import { db } from "@/server/db";
import { createContext, type Context } from "./context";

/** The context for a real request: the Auth.js session from the cookies, the client address. */
export async function createRequestContext(headers: Headers): Promise<Context> {
  const session = await auth();
  const id = session?.user?.id;
  return createContext({ db: db(), session: id ? { id } : null, ip: clientIp(headers) });
}
