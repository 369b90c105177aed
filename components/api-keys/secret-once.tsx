"use client";

import { Copy, KeyRound } from "lucide-react";
import { toast } from "sonner";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A new key's secret, with a copy button: shown once, right after creating it. */
export function SecretOnce({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  return (
    <Alert>
      <KeyRound aria-hidden="true" />
      <AlertTitle>API key “{name}” created</AlertTitle>
      <AlertDescription className="grid w-full gap-2">
        <p>
          <strong className="font-semibold text-foreground">Copy it now: it won&apos;t be shown again.</strong> HelixAgent keeps only a hash of it. Clients
          send it as <code className="font-mono text-xs">Authorization: Bearer …</code>.
        </p>
        <div className="flex w-full gap-2">
          <Input readOnly value={secret} aria-label="New API key" className="flex-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
          <Button
            type="button"
            variant="outline"
            size="icon"
            aria-label="Copy the API key"
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(secret);
                toast.success("API key copied");
              } catch {
                toast.error("Could not copy; select the key and copy it yourself");
              }
            }}
          >
            <Copy />
          </Button>
        </div>
        <Button type="button" variant="ghost" size="sm" onClick={onDone}>
          I have stored it
        </Button>
      </AlertDescription>
    </Alert>
  );
}
