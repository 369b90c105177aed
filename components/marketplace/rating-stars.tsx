import { Star } from "lucide-react";
import { cn } from "@/components/ui/utils";

const oneDecimal = new Intl.NumberFormat("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const count = new Intl.NumberFormat("en");

/** Five stars filled to `rating` (halves rounded to the nearest half), read out as text. */
export function RatingStars({ rating, className, size = "sm" }: { rating: number; className?: string; size?: "sm" | "md" }) {
  const rounded = Math.round(rating * 2) / 2;
  const iconSize = size === "md" ? "size-5" : "size-3.5";
  return (
    <span className={cn("inline-flex items-center", className)} role="img" aria-label={`${oneDecimal.format(rating)} out of 5 stars`}>
      {[1, 2, 3, 4, 5].map((star) => {
        const fill = rounded >= star ? "full" : rounded >= star - 0.5 ? "half" : "none";
        return (
          <span key={star} aria-hidden="true" className={cn("relative inline-block", iconSize)}>
            <Star className={cn("absolute inset-0 text-muted-foreground/40", iconSize)} />
            {fill !== "none" && (
              <span className={cn("absolute inset-0 overflow-hidden", fill === "half" && "w-1/2")}>
                <Star className={cn("fill-amber-400 text-amber-500", iconSize)} />
              </span>
            )}
          </span>
        );
      })}
    </span>
  );
}

/** "★★★★☆ 4.3 (12)" or "No ratings yet". */
export function RatingSummaryInline({ average, count: n, className }: { average: number; count: number; className?: string }) {
  if (n === 0) return <span className={cn("text-xs text-muted-foreground", className)}>No ratings yet</span>;
  return (
    <span className={cn("inline-flex items-center gap-1.5 text-xs", className)}>
      <RatingStars rating={average} />
      <span className="tabular-nums font-medium">{oneDecimal.format(average)}</span>
      <span className="tabular-nums text-muted-foreground">
        ({count.format(n)}
        <span className="sr-only"> {n === 1 ? "rating" : "ratings"}</span>)
      </span>
    </span>
  );
}

export const formatCount = (n: number) => count.format(n);
export const formatRating = (n: number) => oneDecimal.format(n);
