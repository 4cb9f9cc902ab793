// Helpers to read synthesized templates: flatten Fn::Join / Ref pseudo parameters into readable strings.
import { Template } from 'aws-cdk-lib/assertions';

const PSEUDO: { [ref: string]: string } = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': '111111111111',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** Renders intrinsic functions as text: pseudo parameters become fixed values, other refs become `<Ref>` / `<Ref.Attr>`. */
export function flatten(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flatten);
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('Fn::Join' in obj) {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => String(flatten(p))).join(sep);
    }
    if ('Ref' in obj && Object.keys(obj).length === 1) return PSEUDO[obj.Ref as string] ?? `<${obj.Ref}>`;
    if ('Fn::GetAtt' in obj) return `<${(obj['Fn::GetAtt'] as string[]).join('.')}>`;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, flatten(v)]));
  }
  return value;
}

/** Every resource of a type, flattened, by logical id. */
export function resources(
  template: Template,
  type: string,
): { [logicalId: string]: { Properties: any; DeletionPolicy?: string; DependsOn?: string[] } } {
  return flatten(template.findResources(type)) as any;
}

/** The single resource of a type. */
export function onlyResource(template: Template, type: string): { id: string; Properties: any; DeletionPolicy?: string } {
  const found = Object.entries(resources(template, type));
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return { id: found[0][0], ...found[0][1] };
}
