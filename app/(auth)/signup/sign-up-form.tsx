"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { signUp, type SignUpState } from "./actions";

const fields = [
  { name: "name", label: "Name", type: "text", autoComplete: "name" },
  { name: "email", label: "Email", type: "email", autoComplete: "email" },
  { name: "password", label: "Password (10+ characters)", type: "password", autoComplete: "new-password" },
] as const;

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<SignUpState, FormData>(signUp, {
    error: null,
    fieldErrors: {},
    values: { name: "", email: "" },
  });
  return (
    <form action={action} className="grid gap-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {fields.map((f) => {
        const error = state.fieldErrors[f.name];
        return (
          <div key={f.name} className="grid gap-2">
            <Label htmlFor={`signup-${f.name}`}>{f.label}</Label>
            <Input
              id={`signup-${f.name}`}
              name={f.name}
              type={f.type}
              autoComplete={f.autoComplete}
              required
              defaultValue={f.name === "password" ? undefined : state.values[f.name]}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `signup-${f.name}-error` : undefined}
            />
            {error && (
              <p id={`signup-${f.name}-error`} className="text-sm text-destructive">
                {error}
              </p>
            )}
          </div>
        );
      })}
      {state.error && !Object.values(state.fieldErrors).some(Boolean) && (
        <p role="alert" className="text-sm text-destructive">
          {state.error}
        </p>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create account"}
      </Button>
    </form>
  );
}
