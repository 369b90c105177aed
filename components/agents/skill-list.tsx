"use client";

import { Cpu, Sparkles, Wrench } from "lucide-react";
import { useId, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { SkillView } from "@/server/agents/schema";
import { JsonBlock } from "./json-block";
import { skillKindLabel, type SkillKind } from "./labels";

const kindIcon = { SKILL: Sparkles, TOOL: Wrench, MODEL: Cpu } as const;

export function SkillKindBadge({ kind }: { kind: SkillKind }) {
  const Icon = kindIcon[kind];
  return (
    <Badge variant="secondary">
      <Icon aria-hidden="true" />
      {skillKindLabel[kind]}
    </Badge>
  );
}

/** Lists longer than this get a filter box. */
const FILTER_FROM = 8;

function matches(skill: SkillView, needle: string) {
  return [skill.name, skill.key, skill.description ?? "", ...skill.tags].some((t) => t.toLowerCase().includes(needle));
}

/**
 * What an agent can do: its skills (A2A), tools (MCP) or models (OpenAI-compatible), each with
 * what discovery learned about it. Item names are headings at `headingLevel`.
 */
export function SkillList({ skills, headingLevel = 3, emptyText = "Discovery found nothing this agent offers." }: { skills: SkillView[]; headingLevel?: 3 | 4; emptyText?: string }) {
  const filterId = useId();
  const [filter, setFilter] = useState("");
  if (skills.length === 0) return <p className="text-sm text-muted-foreground">{emptyText}</p>;
  const needle = filter.trim().toLowerCase();
  const shown = needle ? skills.filter((s) => matches(s, needle)) : skills;
  const Heading = headingLevel === 3 ? "h3" : "h4";

  return (
    <div className="grid gap-3">
      {skills.length > FILTER_FROM && (
        <div className="grid max-w-sm gap-2">
          <Label htmlFor={filterId}>Filter this list</Label>
          <Input id={filterId} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Name, key, tag…" />
          <p className="text-xs text-muted-foreground" aria-live="polite">
            {needle ? `${shown.length} of ${skills.length} shown` : `${skills.length} in all`}
          </p>
        </div>
      )}
      <ul className="grid gap-3">
        {shown.map((skill) => (
          <li key={`${skill.kind}:${skill.key}`} className="grid min-w-0 gap-2 rounded-lg border p-4" data-testid={`skill-${skill.key}`}>
            <div className="flex min-w-0 flex-wrap items-center gap-2">
              <SkillKindBadge kind={skill.kind} />
              <Heading className="font-medium break-words">{skill.name}</Heading>
              {skill.key !== skill.name && <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs break-all text-muted-foreground">{skill.key}</code>}
            </div>
            {skill.description && <p className="text-sm whitespace-pre-line break-words text-muted-foreground">{skill.description}</p>}
            {(skill.tags.length > 0 || skill.inputModes.length > 0 || skill.outputModes.length > 0) && (
              <dl className="grid gap-x-4 gap-y-1 text-xs sm:grid-cols-[auto_1fr]">
                {skill.tags.length > 0 && <Chips term="Tags" values={skill.tags} />}
                {skill.inputModes.length > 0 && <Chips term="Input" values={skill.inputModes} />}
                {skill.outputModes.length > 0 && <Chips term="Output" values={skill.outputModes} />}
              </dl>
            )}
            {skill.examples.length > 0 && (
              <div className="grid gap-1 text-xs">
                <p className="font-medium">Examples</p>
                <ul className="grid gap-1 text-muted-foreground">
                  {skill.examples.map((example, i) => (
                    <li key={i} className="break-words">
                      “{example}”
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {skill.inputSchema !== null && (
              <details className="text-xs">
                <summary className="cursor-pointer font-medium">Input schema</summary>
                <JsonBlock value={skill.inputSchema} className="mt-2" />
              </details>
            )}
          </li>
        ))}
      </ul>
      {needle && shown.length === 0 && <p className="text-sm text-muted-foreground">Nothing in this list matches “{filter.trim()}”.</p>}
    </div>
  );
}

function Chips({ term, values }: { term: string; values: string[] }) {
  return (
    <>
      <dt className="text-muted-foreground">{term}</dt>
      <dd className="flex flex-wrap gap-1">
        {values.map((v) => (
          <Badge key={v} variant="outline" className="font-normal">
            {v}
          </Badge>
        ))}
      </dd>
    </>
  );
}
