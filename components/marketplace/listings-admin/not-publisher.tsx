import { Store } from "lucide-react";
import Link from "next/link";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** What listing pages show an organization that is not a marketplace publisher yet. */
export function NotPublisher({ orgSlug, orgName }: { orgSlug: string; orgName: string }) {
  return (
    <Alert>
      <Store aria-hidden="true" />
      <AlertTitle>{orgName} is not a marketplace publisher yet</AlertTitle>
      <AlertDescription>
        <p>Create its publisher profile and register a signing key first; then it can list plugins, policy packs and templates in the marketplace.</p>
        <Button asChild variant="outline" size="sm">
          <Link href={`/o/${orgSlug}/publisher`}>Become a publisher</Link>
        </Button>
      </AlertDescription>
    </Alert>
  );
}
