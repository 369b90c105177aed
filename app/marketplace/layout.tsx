import type { ReactNode } from "react";
import { MarketplaceHeader } from "@/components/marketplace/marketplace-header";
import { getPlatformAdmin, getSignedIn } from "@/components/marketplace/viewer";

/** The public marketplace: no sign-in needed (proxy.ts only guards /o/… and /onboarding). */
export default async function MarketplaceLayout({ children }: { children: ReactNode }) {
  const [signedIn, platformAdmin] = await Promise.all([getSignedIn(), getPlatformAdmin()]);
  return (
    <div className="flex min-h-dvh flex-col">
      <MarketplaceHeader signedIn={signedIn} platformAdmin={platformAdmin} />
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 lg:px-8">
        {children}
      </main>
    </div>
  );
}
