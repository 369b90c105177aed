import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 px-4 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="max-w-sm text-sm text-muted-foreground">
        This page does not exist, or it belongs to an organization you are not a member of.
      </p>
      <Button asChild variant="outline">
        <Link href="/">Back to your organizations</Link>
      </Button>
    </main>
  );
}
