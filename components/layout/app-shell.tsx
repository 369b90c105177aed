"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Menu } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { cn } from "@/components/ui/utils";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { Logo } from "./logo";
import { NAV_ITEMS } from "./nav";
import { OpenAlertsBadge } from "./open-alerts-badge";
import { OrgSwitcher, type SwitcherOrg } from "./org-switcher";
import { UserMenu } from "./user-menu";

interface ShellProps {
  org: SwitcherOrg;
  orgs: SwitcherOrg[];
  user: { name: string | null; email: string };
  children: ReactNode;
}

function Nav({ orgSlug, onNavigate }: { orgSlug: string; onNavigate?: () => void }) {
  const pathname = usePathname();
  const base = `/o/${orgSlug}`;
  return (
    <nav aria-label="Sections" className="grid gap-1 text-sm">
      {NAV_ITEMS.map((item) => {
        const Icon = item.icon;
        if (item.path === null) {
          return (
            <span key={item.label} aria-disabled="true" className="flex items-center gap-3 rounded-md px-3 py-2 text-muted-foreground/70">
              <Icon aria-hidden="true" className="size-4" />
              {item.label}
              <span className="ml-auto rounded bg-muted px-1.5 py-0.5 text-[10px] font-medium uppercase tracking-wide">Soon</span>
            </span>
          );
        }
        const href = `${base}${item.path}`;
        const active = item.path === "" ? pathname === base : pathname.startsWith(href);
        return (
          <Link
            key={item.label}
            href={href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-3 rounded-md px-3 py-2 outline-hidden transition-colors hover:bg-accent hover:text-accent-foreground focus-visible:ring-2 focus-visible:ring-ring",
              active && "bg-accent font-medium text-accent-foreground",
            )}
          >
            <Icon aria-hidden="true" className="size-4" />
            {item.label}
            {item.badge === "openAlerts" && <OpenAlertsBadge orgSlug={orgSlug} />}
          </Link>
        );
      })}
    </nav>
  );
}

export function AppShell({ org, orgs, user, children }: ShellProps) {
  const [open, setOpen] = useState(false);
  return (
    <div className="flex min-h-dvh">
      <aside className="sticky top-0 hidden h-dvh w-60 shrink-0 flex-col gap-4 border-r bg-sidebar p-4 text-sidebar-foreground md:flex">
        <Logo href={`/o/${org.slug}`} />
        <OrgSwitcher current={org} orgs={orgs} />
        <Nav orgSlug={org.slug} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/95 px-4 backdrop-blur supports-[backdrop-filter]:bg-background/80">
          <Sheet open={open} onOpenChange={setOpen}>
            <SheetTrigger asChild>
              <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
                <Menu />
              </Button>
            </SheetTrigger>
            <SheetContent side="left" className="flex w-72 flex-col gap-4 p-4">
              <SheetTitle className="sr-only">Navigation</SheetTitle>
              <Logo href={`/o/${org.slug}`} />
              <OrgSwitcher current={org} orgs={orgs} />
              <Nav orgSlug={org.slug} onNavigate={() => setOpen(false)} />
            </SheetContent>
          </Sheet>
          <span className="truncate text-sm font-medium md:hidden">{org.name}</span>
          <div className="ml-auto flex items-center gap-1">
            <ThemeToggle />
            <UserMenu user={user} />
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 lg:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
