// A small evaluator of the WAF statements SecureApi emits (CloudFormation shape, as synthesized), for
// rule-level abuse tests. It knows exactly the statement types the body-size and scoping rules use and
// throws on anything else, so a test cannot silently pass over a statement it does not understand.
// Semantics from the AWS WAF developer guide ("Size constraint rule statement", "Oversize web request
// components", "String match rule statement", "Regex match rule statement").

export interface WafRequest {
  readonly method: string;
  readonly uriPath: string;
  readonly body: string;
}

/** Whether `statement` matches `request`, when WAF inspects the first `inspectionBytes` of the body. */
export function statementMatches(statement: any, request: WafRequest, inspectionBytes: number): boolean {
  const [type, body] = Object.entries(statement)[0] as [string, any];
  switch (type) {
    case 'AndStatement':
      return body.Statements.every((s: any) => statementMatches(s, request, inspectionBytes));
    case 'OrStatement':
      return body.Statements.some((s: any) => statementMatches(s, request, inspectionBytes));
    case 'NotStatement':
      return !statementMatches(body.Statement, request, inspectionBytes);
    case 'SizeConstraintStatement': {
      if (!('Body' in body.FieldToMatch) || body.ComparisonOperator !== 'GT')
        throw new Error(`evaluator: unsupported size constraint ${JSON.stringify(body)}`);
      const size = Buffer.byteLength(request.body);
      if (size > inspectionBytes) {
        const handling = body.FieldToMatch.Body.OversizeHandling;
        if (handling === 'MATCH') return true;
        if (handling === 'NO_MATCH') return false;
        return inspectionBytes > body.Size; // CONTINUE: only the inspected part is measured
      }
      return size > body.Size;
    }
    case 'ByteMatchStatement': {
      if (!('Method' in body.FieldToMatch) || body.PositionalConstraint !== 'EXACTLY')
        throw new Error(`evaluator: unsupported byte match ${JSON.stringify(body)}`);
      return request.method === body.SearchString;
    }
    case 'RegexMatchStatement': {
      if (!('UriPath' in body.FieldToMatch)) throw new Error(`evaluator: unsupported regex match ${JSON.stringify(body)}`);
      const decode = body.TextTransformations.some((t: any) => t.Type === 'URL_DECODE');
      return new RegExp(body.RegexString).test(decode ? decodeURIComponent(request.uriPath) : request.uriPath);
    }
    default:
      throw new Error(`evaluator: unsupported statement ${type}`);
  }
}

/**
 * The first rule (by priority) among `names` that blocks `request`, or `undefined` when none does.
 * `contentInspection` stands for the managed content rule groups: it sees only what WAF inspects.
 */
export function firstBlockingRule(
  rules: any[],
  request: WafRequest,
  inspectionBytes: number,
  contentInspection: (inspected: string) => boolean,
): string | undefined {
  for (const rule of [...rules].sort((a, b) => a.Priority - b.Priority)) {
    const statement = rule.Statement;
    if (statement.ManagedRuleGroupStatement !== undefined) {
      const group = statement.ManagedRuleGroupStatement.Name;
      if (
        ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'].includes(group) &&
        contentInspection(request.body.slice(0, inspectionBytes))
      )
        return rule.Name;
      continue;
    }
    if (
      statement.RateBasedStatement !== undefined ||
      statement.IPSetReferenceStatement !== undefined ||
      statement.OrStatement?.Statements?.[0]?.IPSetReferenceStatement !== undefined
    )
      continue;
    if (rule.Action?.Block !== undefined && statementMatches(statement, request, inspectionBytes)) return rule.Name;
  }
  return undefined;
}
