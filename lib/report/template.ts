/**
 * Reading a synthesized CloudFormation template: resources, references between them, and values that
 * are only known at deploy time (intrinsic functions). Pure; no aws-cdk-lib.
 */
import { isObject } from '../model';

// The one isObject (lib/model/json.ts), for the report's other modules.
export { isObject };

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: { [key: string]: unknown };
  readonly [key: string]: unknown;
}

export interface CfnTemplate {
  readonly Resources?: { [logicalId: string]: CfnResource };
  readonly [key: string]: unknown;
}

/** Whether a value is a CloudFormation intrinsic (`Ref`, `Fn::*`): its value is known only at deploy. */
export function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** The logical id a `Ref` or `Fn::GetAtt` points at, or undefined. */
export function referencedId(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Whether a value refers (anywhere inside it, through Ref or GetAtt) to a logical id. */
export function refersTo(value: unknown, logicalId: string): boolean {
  if (referencedId(value) === logicalId) return true;
  if (Array.isArray(value)) return value.some((v) => refersTo(v, logicalId));
  if (isObject(value)) return Object.values(value).some((v) => refersTo(v, logicalId));
  if (typeof value === 'string') return value.includes('${' + logicalId + '}') || value.includes('${' + logicalId + '.');
  return false;
}

/** Every resource of a type, sorted by logical id. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === type)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The properties of a resource (an empty object when it has none). */
export function propsOf(resource: CfnResource | undefined): { [key: string]: unknown } {
  return isObject(resource?.Properties) ? resource!.Properties! : {};
}

/** A compact rendering of a template value for evidence: scalars as JSON, intrinsics named, long values cut. */
export function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (isIntrinsic(value)) {
    const id = referencedId(value);
    const fn = Object.keys(value as object)[0];
    return id !== undefined ? `${fn}(${id})` : `${fn}(…)`;
  }
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
