import type { ByteMatchStatement, Rule, Statement } from '@aws-sdk/client-wafv2';
import { ORIGIN_VERIFY_HEADER, ORIGIN_VERIFY_RULE_NAME } from '../../contracts/origin-secret-rotation';

/** A web ACL whose origin rule is not the shape SecureApi synthesizes: the rotation refuses to edit it. */
export class UnexpectedOriginRuleError extends Error {
  constructor(reason: string) {
    super(`origin-secret-rotation: the web ACL's ${ORIGIN_VERIFY_RULE_NAME} rule ${reason}; refusing to edit it`);
    this.name = 'UnexpectedOriginRuleError';
  }
}

/** WAF's byte match takes a search string of 1 to 200 bytes. */
const MAX_SEARCH_STRING_BYTES = 200;

/**
 * The origin-header values the web ACL's origin rule accepts: the search strings of its exact, untransformed
 * matches on the origin header, under the rule's NOT. Anything else (another action, another field, a
 * transformation) is an error: the rotation edits only the rule it knows.
 */
export function acceptedOriginValues(rules: readonly Rule[]): string[] {
  const rule = originRule(rules);
  if (rule.Action?.Block === undefined) throw new UnexpectedOriginRuleError('does not block');
  const accepted = rule.Statement?.NotStatement?.Statement;
  if (accepted === undefined) throw new UnexpectedOriginRuleError('is not a NOT statement');
  const matches = accepted.OrStatement !== undefined ? (accepted.OrStatement.Statements ?? []) : [accepted];
  if (matches.length === 0) throw new UnexpectedOriginRuleError('accepts no value');
  return matches.map((statement) => originMatchValue(statement));
}

/**
 * The rules with the origin rule accepting exactly `values` (in order, duplicates dropped): one exact match,
 * or an OR of them. The other rules, and the origin rule's name, priority, action and visibility, are kept.
 */
export function withAcceptedOriginValues(rules: readonly Rule[], values: readonly string[]): Rule[] {
  const rule = originRule(rules);
  acceptedOriginValues(rules); // the shape is checked before anything is changed
  const unique = [...new Set(values)];
  if (unique.length === 0) throw new Error('origin-secret-rotation: the origin rule must accept at least one value');
  for (const value of unique) {
    const bytes = new TextEncoder().encode(value).length;
    if (bytes === 0 || bytes > MAX_SEARCH_STRING_BYTES) {
      throw new Error(`origin-secret-rotation: an origin secret must be 1 to ${MAX_SEARCH_STRING_BYTES} bytes, got ${bytes}`);
    }
  }
  const matches = unique.map((value) => ({ ByteMatchStatement: originMatch(value) }));
  const accepted: Statement = matches.length === 1 ? matches[0] : { OrStatement: { Statements: matches } };
  return rules.map((r) => (r === rule ? { ...r, Statement: { NotStatement: { Statement: accepted } } } : r));
}

function originRule(rules: readonly Rule[]): Rule {
  const found = rules.filter((rule) => rule.Name === ORIGIN_VERIFY_RULE_NAME);
  if (found.length !== 1) throw new UnexpectedOriginRuleError(found.length === 0 ? 'is missing' : 'appears more than once');
  return found[0];
}

function originMatch(value: string): ByteMatchStatement {
  return {
    FieldToMatch: { SingleHeader: { Name: ORIGIN_VERIFY_HEADER } },
    PositionalConstraint: 'EXACTLY',
    SearchString: new TextEncoder().encode(value),
    TextTransformations: [{ Priority: 0, Type: 'NONE' }],
  };
}

function originMatchValue(statement: Statement): string {
  const match = statement.ByteMatchStatement;
  if (match === undefined) throw new UnexpectedOriginRuleError('holds a statement that is not a byte match');
  if (match.FieldToMatch?.SingleHeader?.Name?.toLowerCase() !== ORIGIN_VERIFY_HEADER) {
    throw new UnexpectedOriginRuleError(`matches something other than the ${ORIGIN_VERIFY_HEADER} header`);
  }
  if (match.PositionalConstraint !== 'EXACTLY') throw new UnexpectedOriginRuleError('holds a match that is not EXACTLY');
  const transformations = match.TextTransformations ?? [];
  if (transformations.some((t) => t.Type !== 'NONE')) throw new UnexpectedOriginRuleError('transforms the header before matching');
  const value = match.SearchString;
  if (value === undefined) throw new UnexpectedOriginRuleError('holds a match without a search string');
  return typeof value === 'string' ? value : new TextDecoder().decode(value);
}
