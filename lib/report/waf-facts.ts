import { ApiModel, managedGroupName, statementHas, webAclRules } from './api-model';
import { isObject, propsOf } from './template';

const INSPECTION_LIMITS: ReadonlyMap<string, number> = new Map([
  ['KB_16', 16384],
  ['KB_32', 32768],
  ['KB_48', 49152],
  ['KB_64', 65536],
]);

/** How many body bytes the web ACL inspects for API Gateway (16 KB unless AssociationConfig raises it). */
export function bodyInspectionLimit(model: ApiModel): number {
  const config = propsOf(model.webAcl?.[1]).AssociationConfig;
  const requestBody = isObject(config) && isObject(config.RequestBody) ? config.RequestBody : {};
  const apiGateway = isObject(requestBody.API_GATEWAY) ? requestBody.API_GATEWAY : {};
  return INSPECTION_LIMITS.get(String(apiGateway.DefaultSizeInspectionLimit ?? 'KB_16')) ?? 16384;
}

/** The blocking rule that rejects bodies above a size, and that size, when the web ACL has one. */
export function bodySizeRule(model: ApiModel): { name: string; size: number; scoped: boolean } | undefined {
  for (const rule of webAclRules(model)) {
    if (!isObject(rule.Action) || !('Block' in rule.Action)) continue;
    const statement = isObject(rule.Statement) ? rule.Statement : {};
    const direct = isObject(statement.SizeConstraintStatement) ? statement.SizeConstraintStatement : undefined;
    const nested = direct ?? findSizeOnBody(statement);
    if (nested === undefined) continue;
    const field = isObject(nested.FieldToMatch) ? nested.FieldToMatch : {};
    if (!('Body' in field) || nested.ComparisonOperator !== 'GT' || typeof nested.Size !== 'number') continue;
    return { name: String(rule.Name), size: nested.Size, scoped: direct === undefined };
  }
  return undefined;
}

function findSizeOnBody(statement: unknown): { [key: string]: unknown } | undefined {
  if (Array.isArray(statement)) return statement.map(findSizeOnBody).find((s) => s !== undefined);
  if (!isObject(statement)) return undefined;
  if ('NotStatement' in statement) return undefined;
  if (isObject(statement.SizeConstraintStatement)) return statement.SizeConstraintStatement;
  return Object.values(statement)
    .map(findSizeOnBody)
    .find((s) => s !== undefined);
}

/** Names of the web ACL's rules that are rate-based. */
export function rateRules(model: ApiModel): string[] {
  return webAclRules(model)
    .filter((r) => statementHas(r.Statement, 'RateBasedStatement'))
    .map((r) => String(r.Name));
}

/** The web ACL rule running a managed group, when there is one. */
export function managedGroupRule(model: ApiModel, group: string): { [key: string]: unknown } | undefined {
  return webAclRules(model).find((r) => managedGroupName(r) === group);
}

/** Rules of a managed group switched to COUNT by RuleActionOverrides. */
export function countedRules(rule: { [key: string]: unknown } | undefined): string[] {
  const statement = isObject(rule?.Statement) ? rule!.Statement : {};
  const managed = isObject(statement.ManagedRuleGroupStatement) ? statement.ManagedRuleGroupStatement : {};
  const overrides = Array.isArray(managed.RuleActionOverrides) ? managed.RuleActionOverrides.filter(isObject) : [];
  return overrides.filter((o) => isObject(o.ActionToUse) && 'Count' in o.ActionToUse).map((o) => String(o.Name));
}

/** Whether the whole group was put in count mode (OverrideAction Count). */
export function groupCounts(rule: { [key: string]: unknown } | undefined): boolean {
  return isObject(rule?.OverrideAction) && 'Count' in (rule!.OverrideAction as object);
}
