import { ShieldOff } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/** What a signed-in visitor who is not a platform administrator sees at /marketplace/admin (a 404). */
export default function ModerationNotFound() {
  return (
    <div className="grid gap-4">
      <h1 className="sr-only">Not found</h1>
      <EmptyState
        icon={ShieldOff}
        title="Nothing here for you"
        description="Marketplace moderation is for platform administrators. If you think you should be one, ask whoever runs this HelixAgent installation."
        action={
          <Button asChild variant="outline">
            <Link href="/marketplace">Browse the marketplace</Link>
          </Button>
        }
      />
    </div>
  );
}
