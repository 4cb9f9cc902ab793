import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { AwsManagedRuleGroup } from './waf-options';
import { SecureApiConfigError } from '../model/config-error';

/** WCUs of the AWS managed rule groups (AWS WAF developer guide, "AWS Managed Rules rule groups list"). */
export const MANAGED_RULE_GROUP_CAPACITY: { readonly [group in AwsManagedRuleGroup]: number } = {
  [AwsManagedRuleGroup.COMMON_RULE_SET]: 700,
  [AwsManagedRuleGroup.KNOWN_BAD_INPUTS]: 200,
  [AwsManagedRuleGroup.SQL_INJECTION]: 200,
  [AwsManagedRuleGroup.LINUX]: 200,
  [AwsManagedRuleGroup.UNIX]: 100,
  [AwsManagedRuleGroup.ADMIN_PROTECTION]: 100,
  [AwsManagedRuleGroup.ANONYMOUS_IP_LIST]: 50,
  [AwsManagedRuleGroup.BOT_CONTROL]: 50,
  [AwsManagedRuleGroup.ACCOUNT_TAKEOVER_PREVENTION]: 50,
  [AwsManagedRuleGroup.IP_REPUTATION_LIST]: 25,
};

/** WCUs in a web ACL's base price. */
export const BASE_PRICE_CAPACITY = 1_500;
/** The most WCUs a web ACL can have without a quota request. */
export const MAX_CAPACITY = 5_000;

/** Base WCUs of string match statements by positional constraint. */
const BYTE_MATCH_CAPACITY: { [constraint: string]: number } = { EXACTLY: 2, STARTS_WITH: 2, ENDS_WITH: 2, CONTAINS: 10, CONTAINS_WORD: 10 };

type Statement = CfnWebACL.StatementProperty;
type FieldToMatch = CfnWebACL.FieldToMatchProperty;

/** +10 per text transformation (NONE is none), +10 for all query arguments, ×2 base for the JSON body. */
function inspectionCost(base: number, field: FieldToMatch | undefined, transformations: unknown): number {
  const applied = Array.isArray(transformations)
    ? transformations.filter((t) => (t as CfnWebACL.TextTransformationProperty).type !== 'NONE').length
    : 0;
  const jsonBody = field?.jsonBody !== undefined ? 2 : 1;
  const allQueryArguments = field?.allQueryArguments !== undefined ? 10 : 0;
  return base * jsonBody + allQueryArguments + 10 * applied;
}

/**
 * The WCUs of one rule statement, by the AWS WAF developer guide's per-statement costs. Throws for a
 * statement type the table does not cover, so the budget can never be under-counted silently.
 */
export function statementCapacity(statement: Statement): number {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table reads each statement kind's own fields by name
  const s = statement as { [key: string]: any };
  const kinds = Object.keys(s).filter((k) => s[k] !== undefined);
  // Invariant (a bug, not configuration): the WCU table covers every statement SecureApi writes.
  if (kinds.length !== 1) throw new Error(`WCU table: a statement must have exactly one type, got ${kinds.join(', ') || 'none'}`);
  const kind = kinds[0];
  const body = s[kind];
  switch (kind) {
    case 'ipSetReferenceStatement':
      return 1 + (body.ipSetForwardedIpConfig?.position === 'ANY' ? 4 : 0);
    case 'geoMatchStatement':
    case 'labelMatchStatement':
    case 'asnMatchStatement':
      return 1;
    case 'sizeConstraintStatement':
      return inspectionCost(1, body.fieldToMatch, body.textTransformations);
    case 'byteMatchStatement': {
      const base = BYTE_MATCH_CAPACITY[body.positionalConstraint];
      // Invariant (a bug, not configuration): the WCU table covers every statement SecureApi writes.
      if (base === undefined) throw new Error(`WCU table: unknown positional constraint ${body.positionalConstraint}`);
      return inspectionCost(base, body.fieldToMatch, body.textTransformations);
    }
    case 'regexMatchStatement':
      return inspectionCost(3, body.fieldToMatch, body.textTransformations);
    case 'regexPatternSetReferenceStatement':
      return inspectionCost(25, body.fieldToMatch, body.textTransformations);
    case 'sqliMatchStatement':
      return inspectionCost(body.sensitivityLevel === 'HIGH' ? 30 : 20, body.fieldToMatch, body.textTransformations);
    case 'xssMatchStatement':
      return inspectionCost(40, body.fieldToMatch, body.textTransformations);
    case 'andStatement':
    case 'orStatement':
      return (body.statements as Statement[]).reduce((sum, nested) => sum + statementCapacity(nested), 0);
    case 'notStatement':
      return statementCapacity(body.statement);
    case 'rateBasedStatement':
      return 2 + 30 * (body.customKeys?.length ?? 0) + (body.scopeDownStatement ? statementCapacity(body.scopeDownStatement) : 0);
    case 'managedRuleGroupStatement': {
      // Invariant (a bug, not configuration): the WCU table covers every statement SecureApi writes.
      if (body.vendorName !== 'AWS') throw new Error(`WCU table: unknown capacity of ${body.vendorName}'s ${body.name}`);
      const capacity = MANAGED_RULE_GROUP_CAPACITY[body.name as AwsManagedRuleGroup];
      // Invariant (a bug, not configuration): the WCU table covers every statement SecureApi writes.
      if (capacity === undefined) throw new Error(`WCU table: unknown capacity of AWS managed rule group ${body.name}`);
      return capacity + (body.scopeDownStatement ? statementCapacity(body.scopeDownStatement) : 0);
    }
    default:
      // Invariant (a bug, not configuration): the WCU table covers every statement SecureApi writes.
      throw new Error(`WCU table: no capacity for ${kind}`);
  }
}

/** The web ACL capacity units (WCUs) of one rule. */
export interface RuleCapacity {
  /** The rule's name in the web ACL. */
  readonly name: string;
  /** The WCUs the rule uses. */
  readonly capacity: number;
}

/** A web ACL's WCUs, rule by rule. */
export interface CapacityBudget {
  /** The WCUs of the whole web ACL. */
  readonly total: number;
  /** The WCUs of each rule, in rule order. */
  readonly rules: RuleCapacity[];
}

/** The WCUs of a web ACL's rules. */
export function webAclCapacity(rules: readonly CfnWebACL.RuleProperty[]): CapacityBudget {
  const perRule = rules.map((rule) => ({ name: rule.name, capacity: statementCapacity(rule.statement as Statement) }));
  return { total: perRule.reduce((sum, r) => sum + r.capacity, 0), rules: perRule };
}

/** `Rule-A 700, Rule-B 200, ...`, largest first: what to cut when over budget. */
export function describeBudget(budget: CapacityBudget): string {
  return [...budget.rules]
    .sort((a, b) => b.capacity - a.capacity || a.name.localeCompare(b.name))
    .map((r) => `${r.name} ${r.capacity}`)
    .join(', ');
}

/**
 * Checks a budget against WAF's limits: throws above 5,000 WCU, returns a warning above the 1,500
 * in the base price, `undefined` otherwise.
 */
export function checkCapacity(budget: CapacityBudget, label: string): string | undefined {
  if (budget.total > MAX_CAPACITY) {
    throw new SecureApiConfigError(
      label,
      'waf',
      `makes a web ACL that needs ${budget.total} WCU, more than WAF's maximum of ${MAX_CAPACITY} (${describeBudget(budget)})`,
    );
  }
  if (budget.total > BASE_PRICE_CAPACITY) {
    return `SecureApi '${label}': waf: the web ACL needs ${budget.total} WCU, above the ${BASE_PRICE_CAPACITY} WCU in the base price; WAF charges for every further 500 WCU (${describeBudget(budget)})`;
  }
  return undefined;
}
