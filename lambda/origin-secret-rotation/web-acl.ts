import { GetWebACLCommand, UpdateWebACLCommand, type UpdateWebACLCommandInput, type WebACL } from '@aws-sdk/client-wafv2';
import { errorName, log, OriginRotationContext, withoutSecrets } from './context';
import { acceptedOriginValues, withAcceptedOriginValues } from './origin-rule';

/**
 * Fields GetWebACL reports that UpdateWebACL does not take. Everything else is handed back as it was read,
 * so an update changes the origin rule and nothing else, including settings added to WAF after this was written.
 */
const READ_ONLY_FIELDS = [
  'ARN',
  'Capacity',
  'PreProcessFirewallManagerRuleGroups',
  'PostProcessFirewallManagerRuleGroups',
  'ManagedByFirewallManager',
  'LabelNamespace',
  'RetrofittedByFirewallManager',
] as const;

/** The UpdateWebACL request that replaces `webAcl`'s rules and keeps every other setting. */
export function updateRequestFor(
  webAcl: WebACL,
  scope: 'REGIONAL' | 'CLOUDFRONT',
  lockToken: string,
  rules: UpdateWebACLCommandInput['Rules'],
): UpdateWebACLCommandInput {
  const kept: Record<string, unknown> = { ...webAcl };
  for (const field of READ_ONLY_FIELDS) delete kept[field];
  return { ...(kept as Omit<UpdateWebACLCommandInput, 'Scope' | 'LockToken'>), Scope: scope, LockToken: lockToken, Rules: rules };
}

async function readWebAcl(ctx: OriginRotationContext): Promise<{ webAcl: WebACL; lockToken: string }> {
  const { name, id, scope } = ctx.config.webAcl;
  const out = await ctx.waf.send(new GetWebACLCommand({ Name: name, Id: id, Scope: scope }));
  if (out.WebACL === undefined || out.LockToken === undefined)
    throw new Error(`origin-secret-rotation: GetWebACL returned no web ACL for ${name}`);
  return { webAcl: out.WebACL, lockToken: out.LockToken };
}

/** The values the web ACL's origin rule accepts now. */
export async function readAcceptedValues(ctx: OriginRotationContext): Promise<string[]> {
  return acceptedOriginValues((await readWebAcl(ctx)).webAcl.Rules ?? []);
}

/** Attempts at an update that another writer (a deployment) keeps overtaking. */
const MAX_LOCK_ATTEMPTS = 5;

/**
 * Makes the origin rule accept exactly `values`, with WAF's optimistic lock: when another writer changed the
 * web ACL between our read and our write, it is read again and the change reapplied to what that writer left.
 */
export async function setAcceptedValues(ctx: OriginRotationContext, values: readonly string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { webAcl, lockToken } = await readWebAcl(ctx);
    const rules = webAcl.Rules ?? [];
    const current = acceptedOriginValues(rules);
    if (sameValues(current, values)) return;
    try {
      await ctx.waf.send(
        new UpdateWebACLCommand(updateRequestFor(webAcl, ctx.config.webAcl.scope, lockToken, withAcceptedOriginValues(rules, values))),
      );
      log('INFO', 'web ACL origin rule updated', { acceptedValues: values.length, previouslyAccepted: current.length });
      return;
    } catch (error) {
      if (errorName(error) !== 'WAFOptimisticLockException' || attempt >= MAX_LOCK_ATTEMPTS)
        throw withoutSecrets(error, [...current, ...values]);
      log('WARN', 'web ACL changed while updating; reading it again', { attempt });
    }
  }
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((value, i) => value === right[i]);
}
