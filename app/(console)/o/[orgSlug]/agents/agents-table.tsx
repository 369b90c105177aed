"use client";

import {
  createColumnHelper,
  functionalUpdate,
  metaHelper,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type PaginationState,
  type SortingState,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { useId, useMemo } from "react";
import { ProtocolBadge } from "@/components/agents/protocol-badge";
import { RelativeTime } from "@/components/agents/relative-time";
import { SkillKindBadge } from "@/components/agents/skill-list";
import { AgentStatusBadge } from "@/components/agents/status-badge";
import { PAGE_SIZES, type AgentListParams, type SortKey } from "@/components/agents/list-params";
import { formatLatency } from "@/components/agents/time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Card, CardContent } from "@/components/ui/card";
import { cn } from "@/components/ui/utils";
import type { AgentRow } from "@/server/agents/schema";

interface TableMeta {
  orgSlug: string;
  onTag: (tag: string) => void;
}
interface ColumnMeta {
  /** Classes for both the header and the cells: used to hide secondary columns on small screens. */
  className?: string;
}

// The server filters, sorts and pages; the table only describes columns and holds sort/page state.
const features = tableFeatures({
  rowSortingFeature,
  rowPaginationFeature,
  tableMeta: metaHelper<TableMeta>(),
  columnMeta: metaHelper<ColumnMeta>(),
});
const helper = createColumnHelper<typeof features, AgentRow>();

/** Columns the server can sort by; their ids are the `sort` values of `agent.list`. */
const SORTABLE: readonly SortKey[] = ["name", "status", "lastCheckedAt"];

const columns = helper.columns([
  helper.accessor("name", {
    header: "Agent",
    cell: ({ row, table }) => {
      const agent = row.original;
      const { orgSlug } = table.options.meta!;
      const hits = agent.matchedSkills;
      return (
        <div className="grid max-w-md min-w-48 gap-0.5 whitespace-normal">
          <Link href={`/o/${orgSlug}/agents/${agent.id}`} className="font-medium underline-offset-4 hover:underline">
            {agent.name}
          </Link>
          <span className="font-mono text-xs text-muted-foreground">{agent.slug}</span>
          {agent.description && <span className="line-clamp-2 text-xs text-muted-foreground">{agent.description}</span>}
          {hits.length > 0 && (
            <div className="mt-1 flex flex-wrap items-center gap-1 text-xs">
              <span className="text-muted-foreground">Matched:</span>
              {hits.map((s) => (
                <span key={`${s.kind}:${s.key}`} className="inline-flex items-center gap-1 rounded-md border px-1.5 py-0.5">
                  <SkillKindBadge kind={s.kind} />
                  <span className="font-medium">{s.name}</span>
                </span>
              ))}
            </div>
          )}
        </div>
      );
    },
  }),
  helper.accessor("protocol", {
    header: "Protocol",
    enableSorting: false,
    cell: ({ getValue }) => <ProtocolBadge protocol={getValue()} />,
  }),
  helper.accessor("status", {
    header: "Status",
    cell: ({ getValue }) => <AgentStatusBadge status={getValue()} />,
  }),
  helper.accessor("skillCount", {
    header: "Skills",
    enableSorting: false,
    meta: { className: "text-right" },
    cell: ({ getValue }) => <span className="tabular-nums">{getValue()}</span>,
  }),
  helper.display({
    id: "location",
    header: "Region / provider",
    meta: { className: "hidden md:table-cell" },
    cell: ({ row }) => (
      <div className="grid text-xs">
        <span>{row.original.region ?? <span className="text-muted-foreground">No region</span>}</span>
        {row.original.provider && <span className="text-muted-foreground">{row.original.provider}</span>}
      </div>
    ),
  }),
  helper.accessor("lastCheckedAt", {
    header: "Last check",
    meta: { className: "hidden sm:table-cell" },
    cell: ({ row }) =>
      row.original.lastCheckedAt ? (
        <div className="grid text-xs">
          <RelativeTime date={row.original.lastCheckedAt} />
          <span className="text-muted-foreground tabular-nums">{formatLatency(row.original.lastLatencyMs)}</span>
        </div>
      ) : (
        <span className="text-xs text-muted-foreground">Not yet</span>
      ),
  }),
  helper.accessor("tags", {
    header: "Tags",
    enableSorting: false,
    meta: { className: "hidden lg:table-cell" },
    cell: ({ getValue, table }) => {
      const tags = getValue();
      if (tags.length === 0) return <span className="text-xs text-muted-foreground">—</span>;
      return (
        <div className="flex max-w-56 flex-wrap gap-1">
          {tags.map((tag) => (
            <Badge key={tag} asChild variant="outline" className="font-normal">
              <button type="button" title={`Show agents tagged ${tag}`} onClick={() => table.options.meta!.onTag(tag)}>
                {tag}
              </button>
            </Badge>
          ))}
        </div>
      );
    },
  }),
]);

const rowId = (agent: AgentRow) => agent.id;

interface Props {
  orgSlug: string;
  state: AgentListParams;
  navigate: (changes: Partial<AgentListParams>) => void;
  agents: AgentRow[];
  total: number;
  /** The rows are the previous page's while the next one loads. */
  stale: boolean;
}

export function AgentsTable({ orgSlug, state, navigate, agents, total, stale }: Props) {
  const pageSizeId = useId();
  const sorting = useMemo<SortingState>(
    () => (SORTABLE.includes(state.sort) ? [{ id: state.sort, desc: state.dir === "desc" }] : []),
    [state.sort, state.dir],
  );
  const pagination = useMemo<PaginationState>(() => ({ pageIndex: state.page - 1, pageSize: state.pageSize }), [state.page, state.pageSize]);
  const meta = useMemo<TableMeta>(() => ({ orgSlug, onTag: (tag) => navigate({ tag }) }), [orgSlug, navigate]);

  const table = useTable({
    features,
    columns,
    data: agents,
    getRowId: rowId,
    rowCount: total,
    meta,
    state: { sorting, pagination },
    manualSorting: true,
    manualPagination: true,
    autoResetPageIndex: false,
    enableMultiSort: false,
    enableSortingRemoval: false,
    // A search is ranked by relevance; column order would mean nothing.
    enableSorting: !state.q,
    onSortingChange: (updater) => {
      const [next] = functionalUpdate(updater, sorting);
      if (next) navigate({ sort: next.id as SortKey, dir: next.desc ? "desc" : "asc" });
    },
    onPaginationChange: (updater) => {
      const next = functionalUpdate(updater, pagination);
      navigate(next.pageSize !== pagination.pageSize ? { pageSize: next.pageSize } : { page: next.pageIndex + 1 });
    },
  });

  const pageCount = Math.max(1, table.getPageCount());
  const first = total === 0 ? 0 : (state.page - 1) * state.pageSize + 1;
  const last = Math.min(total, state.page * state.pageSize);

  return (
    <div className="grid gap-4">
      <Table className={cn("transition-opacity", stale && "opacity-60")} aria-describedby={`${pageSizeId}-range`}>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id} className="hover:bg-transparent">
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const className = header.column.columnDef.meta?.className;
                return (
                  <TableHead
                    key={header.id}
                    className={className}
                    aria-sort={header.column.getCanSort() ? (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none") : undefined}
                  >
                    {header.isPlaceholder ? null : header.column.getCanSort() ? (
                      <Button variant="ghost" size="sm" className="-ml-3 h-8" onClick={header.column.getToggleSortingHandler()}>
                        <table.FlexRender header={header} />
                        {sorted === "asc" ? (
                          <ArrowUp aria-hidden="true" />
                        ) : sorted === "desc" ? (
                          <ArrowDown aria-hidden="true" />
                        ) : (
                          <ArrowUpDown aria-hidden="true" className="opacity-50" />
                        )}
                      </Button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </TableHead>
                );
              })}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>
          {table.getRowModel().rows.map((row) => (
            <TableRow key={row.id} data-testid={`agent-${row.original.slug}`}>
              {row.getAllCells().map((cell) => (
                <TableCell key={cell.id} className={cn("align-top", cell.column.columnDef.meta?.className)}>
                  <table.FlexRender cell={cell} />
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>

      {agents.length === 0 && total > 0 && (
        <p className="text-sm text-muted-foreground">
          This page is past the end of the list.{" "}
          <Button variant="link" className="h-auto p-0" onClick={() => table.firstPage()}>
            Go to the first page
          </Button>
        </p>
      )}

      <nav aria-label="Pages" className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <p id={`${pageSizeId}-range`} className="text-sm text-muted-foreground" aria-live="polite">
          {total === 0 ? "No agents" : `${first === last ? first : `${first}–${last}`} of ${total} ${total === 1 ? "agent" : "agents"}`} · Page {state.page} of {pageCount}
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <Label htmlFor={pageSizeId} className="text-sm font-normal">
            Rows per page
          </Label>
          <NativeSelect id={pageSizeId} className="w-20" value={state.pageSize} onChange={(e) => table.setPageSize(Number(e.target.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </NativeSelect>
          <Button variant="outline" size="sm" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
            <ChevronLeft aria-hidden="true" />
            Previous
          </Button>
          <Button variant="outline" size="sm" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()}>
            Next
            <ChevronRight aria-hidden="true" />
          </Button>
        </div>
      </nav>
    </div>
  );
}

export function AgentsTableSkeleton({ rows }: { rows: number }) {
  return (
    <Card className="py-4" role="status" aria-label="Loading agents">
      <CardContent className="grid gap-3 px-4">
        <Skeleton className="h-8 w-full" />
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex items-center gap-4">
            <div className="grid flex-1 gap-1.5">
              <Skeleton className="h-4 w-48 max-w-full" />
              <Skeleton className="h-3 w-32 max-w-full" />
            </div>
            <Skeleton className="h-5 w-14" />
            <Skeleton className="h-5 w-16" />
            <Skeleton className="hidden h-4 w-20 sm:block" />
            <Skeleton className="hidden h-4 w-24 md:block" />
          </div>
        ))}
        <span className="sr-only">Loading agents…</span>
      </CardContent>
    </Card>
  );
}
