// The demo sign-in that `npm start` prints. Defined once, in server/demo/constants.mjs (plain JS,
// no dependencies), which prisma/seed.ts also uses, so the banner and the seed cannot disagree.
import { DEMO_ADMIN } from '../../server/demo/constants.mjs';

export const DEMO_ADMIN_EMAIL = DEMO_ADMIN.email;
export const DEMO_ADMIN_PASSWORD = DEMO_ADMIN.password;
