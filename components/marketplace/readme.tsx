import { cn } from "@/components/ui/utils";

/*
 * Typography for a listing's README. The project has no typography plugin, so the rules are here,
 * on the container, for the elements GitHub-flavoured Markdown produces.
 */
const prose = cn(
  "min-w-0 break-words text-sm leading-relaxed",
  "[&>*:first-child]:mt-0 [&>*:last-child]:mb-0",
  // Headings arrive one level down (see demoteHeadings): a README's "#" is an h2 here.
  "[&_h2]:mt-6 [&_h2]:mb-3 [&_h2]:text-xl [&_h2]:font-semibold [&_h2]:tracking-tight",
  "[&_h3]:mt-6 [&_h3]:mb-2 [&_h3]:border-b [&_h3]:pb-1 [&_h3]:text-lg [&_h3]:font-semibold",
  "[&_h4]:mt-5 [&_h4]:mb-2 [&_h4]:text-base [&_h4]:font-semibold",
  "[&_h5]:mt-4 [&_h5]:mb-2 [&_h5]:font-semibold [&_h6]:mt-4 [&_h6]:mb-2 [&_h6]:font-semibold",
  "[&_p]:my-3 [&_ul]:my-3 [&_ul]:list-disc [&_ul]:pl-6 [&_ol]:my-3 [&_ol]:list-decimal [&_ol]:pl-6 [&_li]:my-1",
  "[&_a]:text-primary [&_a]:underline [&_a]:underline-offset-4",
  "[&_blockquote]:my-3 [&_blockquote]:border-l-4 [&_blockquote]:pl-4 [&_blockquote]:text-muted-foreground",
  "[&_code]:rounded [&_code]:bg-muted [&_code]:px-1 [&_code]:py-0.5 [&_code]:font-mono [&_code]:text-[0.85em]",
  "[&_pre]:my-3 [&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-muted [&_pre]:p-3 [&_pre_code]:bg-transparent [&_pre_code]:p-0",
  "[&_table]:my-3 [&_table]:block [&_table]:w-full [&_table]:overflow-x-auto [&_table]:border-collapse",
  "[&_th]:border [&_th]:bg-muted/50 [&_th]:px-3 [&_th]:py-1.5 [&_th]:text-left [&_th]:font-medium [&_td]:border [&_td]:px-3 [&_td]:py-1.5",
  "[&_hr]:my-6 [&_img]:max-w-full [&_img]:rounded",
);

/**
 * Moves every heading one level down (h1 → h2 … h5 → h6), so a README's own "# Title" sits under the
 * page's h1 instead of competing with it. Only tag names change, in HTML the sanitizer already
 * produced, so nothing new can appear.
 */
export function demoteHeadings(html: string): string {
  return html.replace(/<(\/?)h([1-5])(?=[\s>])/gi, (_m, slash: string, level: string) => `<${slash}h${Number(level) + 1}`);
}

/**
 * A README as the marketplace service rendered it: Markdown → HTML → sanitized with GitHub's
 * allow-list (server/marketplace/content.ts), so no script, event handler or javascript: link
 * survives. Only `readmeHtml` from `marketplace.listing.get` may be passed here.
 */
export function ListingReadme({ html, className }: { html: string; className?: string }) {
  if (!html.trim()) return <p className="text-sm text-muted-foreground">The publisher has not written a README yet.</p>;
  return <div className={cn(prose, className)} dangerouslySetInnerHTML={{ __html: demoteHeadings(html) }} />;
}
