import { LayoutDashboard, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { Logo } from "@/components/layout/logo";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { Button } from "@/components/ui/button";
import { SignInLink } from "./sign-in-link";

/**
 * The public marketplace's top bar: home, Marketplace, theme, and sign-in or the visitor's console;
 * for platform administrators, Moderation (reported reviews, publisher verification).
 */
export function MarketplaceHeader({ signedIn, platformAdmin = false }: { signedIn: boolean; platformAdmin?: boolean }) {
  return (
    <header className="sticky top-0 z-30 border-b bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80">
      <div className="mx-auto flex h-14 w-full max-w-6xl items-center gap-3 px-4 sm:px-6 lg:px-8">
        <Logo href="/marketplace" />
        <Link href="/marketplace" className="hidden rounded-md px-2 py-1 text-sm font-medium text-muted-foreground hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-hidden sm:inline">
          Marketplace
        </Link>
        <div className="ml-auto flex items-center gap-1.5">
          <ThemeToggle />
          {platformAdmin && (
            <Button asChild size="sm" variant="ghost">
              <Link href="/marketplace/admin">
                <ShieldCheck aria-hidden="true" />
                Moderation
              </Link>
            </Button>
          )}
          {signedIn ? (
            <Button asChild size="sm" variant="outline">
              {/* "/" opens the visitor's first organization. */}
              <Link href="/">
                <LayoutDashboard aria-hidden="true" />
                Console
              </Link>
            </Button>
          ) : (
            <SignInLink />
          )}
        </div>
      </div>
    </header>
  );
}
