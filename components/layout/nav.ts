import {
  Activity,
  Bell,
  Bot,
  ClipboardCheck,
  KeyRound,
  LayoutDashboard,
  PackageOpen,
  Route,
  ScrollText,
  Settings,
  ShieldCheck,
  Store,
  UserLock,
  Users,
  type LucideIcon,
} from "lucide-react";

export interface NavItem {
  label: string;
  /** Path below /o/<slug>; null while the section is still to come. */
  path: string | null;
  icon: LucideIcon;
  /** A live count shown next to the label. */
  badge?: "openAlerts";
}

/** The console's sections, in the product's words. Sections without a path show as "Soon". */
export const NAV_ITEMS: NavItem[] = [
  { label: "Overview", path: "", icon: LayoutDashboard },
  { label: "Agents", path: "/agents", icon: Bot },
  { label: "Routes", path: "/routes", icon: Route },
  { label: "API keys", path: "/api-keys", icon: KeyRound },
  { label: "Policies", path: "/policies", icon: ShieldCheck },
  { label: "Compliance", path: "/compliance", icon: ClipboardCheck },
  { label: "Analytics", path: "/analytics", icon: Activity },
  { label: "Alerts", path: "/alerts", icon: Bell, badge: "openAlerts" },
  { label: "Marketplace", path: "/marketplace", icon: Store },
  { label: "Publisher", path: "/publisher", icon: PackageOpen },
  { label: "Members", path: "/members", icon: Users },
  { label: "Data subjects", path: "/privacy", icon: UserLock },
  { label: "Audit log", path: "/audit", icon: ScrollText },
  { label: "Settings", path: "/settings", icon: Settings },
];
