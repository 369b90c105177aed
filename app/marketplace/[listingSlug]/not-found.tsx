import { PackageX } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function ListingNotFound() {
  return (
    <div className="grid gap-4">
      <h1 className="sr-only">Listing not found</h1>
      <EmptyState
        icon={PackageX}
        title="No such listing"
        description="This listing does not exist, or its publisher has not released a version yet."
        action={
          <Button asChild variant="outline">
            <Link href="/marketplace">Browse the marketplace</Link>
          </Button>
        }
      />
    </div>
  );
}
