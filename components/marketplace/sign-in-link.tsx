"use client";

import { LogIn } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Button } from "@/components/ui/button";

/** "Sign in", coming back to the marketplace page it was clicked on. */
export function SignInLink({ label = "Sign in", variant = "outline" }: { label?: string; variant?: "outline" | "default" }) {
  const pathname = usePathname();
  return (
    <Button asChild size="sm" variant={variant}>
      <Link href={`/signin?callbackUrl=${encodeURIComponent(pathname || "/marketplace")}`}>
        <LogIn aria-hidden="true" />
        {label}
      </Link>
    </Button>
  );
}
