"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Copy, Plus, Trash2, Webhook } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { RelativeTime } from "@/components/agents/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export function WebhooksSection({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hooks = useQuery(trpc.alert.webhook.list.queryOptions({ orgSlug }));
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.alert.webhook.list.queryKey({ orgSlug }) });
  const create = useMutation(
    trpc.alert.webhook.create.mutationOptions({
      onSuccess: async ({ webhook, secret }) => {
        setCreated({ name: webhook.name, secret });
        setName("");
        setUrl("");
        await invalidate();
      },
    }),
  );
  const toggle = useMutation(trpc.alert.webhook.update.mutationOptions({ onSuccess: invalidate, onError: (e) => toast.error(e.message) }));
  const remove = useMutation(trpc.alert.webhook.delete.mutationOptions({ onSuccess: invalidate, onError: (e) => toast.error(e.message) }));
  const errors = placeErrors(create.error, ["name", "url"] as const, "form");

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>
            <h2 className="text-base">Add webhook</h2>
          </CardTitle>
          <CardDescription>
            Alerts are POSTed as JSON <code className="font-mono text-xs">{"{ event, alert, org }"}</code> with{" "}
            <code className="font-mono text-xs">X-Helix-Signature: sha256=HMAC(body, secret)</code> and <code className="font-mono text-xs">X-Helix-Timestamp</code>. Failed
            deliveries are retried after 30 s, 2 min, 10 min and 1 h.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {created && (
            <Alert>
              <AlertTitle>Signing secret of “{created.name}”</AlertTitle>
              <AlertDescription className="grid w-full gap-2">
                <p>
                  <strong className="font-semibold text-foreground">Copy it now: it won&apos;t be shown again.</strong>
                </p>
                <div className="flex gap-2">
                  <Input readOnly value={created.secret} aria-label="Webhook signing secret" className="flex-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
                  <Button
                    type="button"
                    variant="outline"
                    size="icon"
                    aria-label="Copy the secret"
                    onClick={() => void navigator.clipboard.writeText(created.secret).then(() => toast.success("Secret copied"), () => toast.error("Could not copy"))}
                  >
                    <Copy />
                  </Button>
                </div>
                <Button type="button" variant="ghost" size="sm" onClick={() => setCreated(null)}>
                  I have stored it
                </Button>
              </AlertDescription>
            </Alert>
          )}
          <form
            noValidate
            className="grid gap-4 sm:grid-cols-[1fr_2fr_auto] sm:items-start"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ orgSlug, name, url });
            }}
          >
            <FormField label="Name" required error={errors.name}>
              <Input name="webhookName" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="off" />
            </FormField>
            <FormField label="URL" required error={errors.url}>
              <Input name="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hooks.example.com/helix" autoComplete="off" />
            </FormField>
            <Button type="submit" className="sm:mt-6" disabled={create.isPending}>
              <Plus aria-hidden="true" />
              Add
            </Button>
          </form>
          {errors.form && (
            <p role="alert" className="text-sm text-destructive">
              {errors.form}
            </p>
          )}
        </CardContent>
      </Card>
      {hooks.data && hooks.data.length === 0 ? (
        <EmptyState icon={Webhook} titleAs="h3" title="No webhooks yet" description="Add one above, then pick it in an alert rule." />
      ) : (
        <Table>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead>Webhook</TableHead>
              <TableHead>Last delivery</TableHead>
              <TableHead className="w-40">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {hooks.data?.map((h) => (
              <TableRow key={h.id}>
                <TableCell className="align-top">
                  <span className="font-medium">{h.name}</span>
                  {!h.enabled && (
                    <Badge variant="outline" className="ml-2">
                      disabled
                    </Badge>
                  )}
                  <p className="font-mono text-xs text-muted-foreground">{h.url}</p>
                </TableCell>
                <TableCell className="align-top text-xs">
                  {h.lastDelivery ? (
                    <>
                      {h.lastDelivery.status.toLowerCase()}
                      {h.lastDelivery.statusCode ? ` (HTTP ${h.lastDelivery.statusCode})` : ""}, <RelativeTime date={h.lastDelivery.at} />
                    </>
                  ) : (
                    <span className="text-muted-foreground">Never</span>
                  )}
                </TableCell>
                <TableCell className="align-top">
                  <div className="flex gap-1">
                    <Button variant="outline" size="sm" disabled={toggle.isPending} onClick={() => toggle.mutate({ orgSlug, webhookId: h.id, name: h.name, enabled: !h.enabled })}>
                      {h.enabled ? "Disable" : "Enable"}
                    </Button>
                    <Button
                      variant="ghost"
                      size="icon"
                      aria-label={`Delete ${h.name}`}
                      disabled={remove.isPending}
                      onClick={() => {
                        if (window.confirm(`Delete the webhook “${h.name}”?`)) remove.mutate({ orgSlug, webhookId: h.id });
                      }}
                    >
                      <Trash2 />
                    </Button>
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
