import { cn } from "@/components/ui/utils";

/**
 * A listing's icon: the stored data: URL (checked and SVG-scrubbed by the server, shown with <img>
 * so nothing in it can run), or the name's first letter on a tinted square.
 */
export function ListingIcon({ icon, name, className }: { icon: string | null; name: string; className?: string }) {
  if (icon) {
    // A data: URL: next/image would add nothing here.
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={icon} alt="" width={48} height={48} className={cn("size-12 shrink-0 rounded-lg object-contain", className)} />;
  }
  return (
    <span aria-hidden="true" className={cn("flex size-12 shrink-0 items-center justify-center rounded-lg bg-primary/10 text-lg font-semibold text-primary", className)}>
      {name.trim().charAt(0).toUpperCase() || "?"}
    </span>
  );
}
