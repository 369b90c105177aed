/** Every action the audit log records, in the product's words. New mutations add theirs here. */
export const AUDIT_ACTIONS = {
  "organization.created": "Organization created",
  "organization.updated": "Organization updated",
  "member.joined": "Member joined",
  "member.role_changed": "Member role changed",
  "member.removed": "Member removed",
  "member.left": "Member left",
  "invitation.created": "Invitation sent",
  "invitation.revoked": "Invitation revoked",
  "agent.registered": "Agent registered",
  "agent.updated": "Agent updated",
  "agent.disabled": "Agent disabled",
  "agent.enabled": "Agent enabled",
  "agent.deleted": "Agent deleted",
  "agent.rediscovered": "Agent skills changed",
  "route.created": "Route created",
  "route.updated": "Route updated",
  "route.enabled": "Route enabled",
  "route.disabled": "Route disabled",
  "route.deleted": "Route deleted",
  "api_key.created": "API key created",
  "api_key.revoked": "API key revoked",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const auditActionNames = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];
