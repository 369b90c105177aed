import type { Metadata } from "next";
import Link from "next/link";
import { TRPCError } from "@trpc/server";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { serverCaller } from "@/components/trpc/server";
import { auth } from "@/server/auth/config";
import { roleLabel } from "@/server/auth/roles";
import { AcceptButton } from "./accept-button";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

const problems: Record<string, string> = {
  expired: "This invitation has expired. Ask the person who invited you for a new link.",
  revoked: "This invitation was withdrawn. Ask for a new link if you still need access.",
  accepted: "This invitation has already been used.",
};

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const caller = await serverCaller();
  const preview = await caller.invitation.preview({ token }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
    throw error;
  });
  const session = await auth();
  const signedInEmail = session?.user?.email ?? null;
  const here = `/invite/${token}`;

  let body;
  if (!preview) {
    body = <p className="text-sm">This invitation link is not valid. Check that you copied all of it, or ask for a new one.</p>;
  } else if (preview.status !== "pending") {
    body = <p className="text-sm">{problems[preview.status]}</p>;
  } else if (!signedInEmail) {
    body = (
      <div className="grid gap-3">
        <p className="text-sm">
          Sign in as <strong>{preview.email}</strong> to accept.
        </p>
        <Button asChild>
          <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`}>Sign in to accept</Link>
        </Button>
      </div>
    );
  } else if (signedInEmail.toLowerCase() !== preview.email) {
    body = (
      <p className="text-sm">
        This invitation is for <strong>{preview.email}</strong>, but you are signed in as <strong>{signedInEmail}</strong>. Sign out and sign in
        with the invited address.
      </p>
    );
  } else {
    body = <AcceptButton token={token} orgName={preview.orgName} />;
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1 className="text-xl">{preview ? `Join ${preview.orgName}` : "Invitation"}</h1>
        </CardTitle>
        {preview && (
          <CardDescription>
            {preview.invitedBy ?? "Someone"} invited {preview.email} as {roleLabel[preview.role]}.
          </CardDescription>
        )}
      </CardHeader>
      <CardContent>{body}</CardContent>
    </Card>
  );
}
