import { KeyRound } from "lucide-react";
import { Button } from "@/components/ui/button";
import { signInWithOidc } from "./actions";

export function OidcButton({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  return (
    <form action={signInWithOidc}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Button type="submit" variant="outline" className="w-full">
        <KeyRound aria-hidden="true" />
        Continue with {name}
      </Button>
    </form>
  );
}
