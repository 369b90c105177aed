"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { slugify } from "@/server/orgs/schema";

export function CreateOrgForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useMutation(
    trpc.org.create.mutationOptions({
      onSuccess: (org) => {
        router.push(`/o/${org.slug}`);
        router.refresh();
      },
    }),
  );
  const fieldErrors = (create.error?.data as { fieldErrors?: Record<string, string[] | undefined> } | undefined)?.fieldErrors;
  const nameError = fieldErrors?.name?.[0];
  const slugError = fieldErrors?.slug?.[0];
  const otherError = create.error && !nameError && !slugError ? create.error.message : null;

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1 className="text-xl">Create an organization</h1>
        </CardTitle>
        <CardDescription>An organization holds your agents, routes, policies and members. You will be its owner.</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name, slug });
          }}
        >
          <div className="grid gap-2">
            <Label htmlFor="org-name">Name</Label>
            <Input
              id="org-name"
              value={name}
              maxLength={80}
              onChange={(e) => {
                setName(e.target.value);
                if (!slugEdited) setSlug(slugify(e.target.value));
              }}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? "org-name-error" : undefined}
            />
            {nameError && (
              <p id="org-name-error" className="text-sm text-destructive">
                {nameError}
              </p>
            )}
          </div>
          <div className="grid gap-2">
            <Label htmlFor="org-slug">URL slug</Label>
            <Input
              id="org-slug"
              value={slug}
              maxLength={48}
              onChange={(e) => {
                setSlug(e.target.value);
                setSlugEdited(true);
              }}
              aria-invalid={slugError ? true : undefined}
              aria-describedby={slugError ? "org-slug-error" : "org-slug-help"}
            />
            <p id="org-slug-help" className="text-xs text-muted-foreground">
              Lowercase letters, digits and dashes: /o/{slug || "your-slug"}
            </p>
            {slugError && (
              <p id="org-slug-error" className="text-sm text-destructive">
                {slugError}
              </p>
            )}
          </div>
          {otherError && (
            <p role="alert" className="text-sm text-destructive">
              {otherError}
            </p>
          )}
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create organization"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
