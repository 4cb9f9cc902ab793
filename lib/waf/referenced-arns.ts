import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';

/** The statements that name another WAF resource by ARN. */
const REFERENCE_STATEMENTS = ['ipSetReferenceStatement', 'regexPatternSetReferenceStatement', 'ruleGroupReferenceStatement'] as const;

/**
 * The ARNs of the IP sets, regex pattern sets and rule groups the rules reference, each once, in order of
 * appearance. UpdateWebACL is authorized on each resource the submitted rules reference (Service Authorization
 * Reference, AWS WAF V2: UpdateWebACL's resource types), so whoever rewrites the web ACL needs exactly these.
 */
export function referencedResourceArns(rules: readonly CfnWebACL.RuleProperty[]): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const arn = (value as { arn?: unknown } | undefined)?.arn;
      if ((REFERENCE_STATEMENTS as readonly string[]).includes(key) && typeof arn === 'string' && !found.includes(arn)) found.push(arn);
      visit(value);
    }
  };
  visit(rules);
  return found;
}
