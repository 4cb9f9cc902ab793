/** A policy statement as the tests read it. */
export interface StatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly [key: string]: unknown;
}

/** A policy document as the tests read it. */
export interface PolicyJson {
  readonly Statement: StatementJson[];
}

/**
 * A synthesized value with its CloudFormation intrinsics replaced by what they become in one deployment:
 * pseudo parameters from `env`, `Ref`s of the stack's resources from `refs`, `Fn::Join` joined.
 */
export function concrete(
  value: unknown,
  refs: { [logicalId: string]: string },
  env = { account: '111111111111', region: 'eu-west-1' },
): unknown {
  if (Array.isArray(value)) return value.map((v) => concrete(v, refs, env));
  if (value === null || typeof value !== 'object') return value;
  const object = value as { [key: string]: unknown };
  if ('Ref' in object) {
    const name = object.Ref as string;
    const pseudo: { [name: string]: string } = {
      'AWS::Partition': 'aws',
      'AWS::Region': env.region,
      'AWS::AccountId': env.account,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const found = pseudo[name] ?? refs[name];
    if (found === undefined) throw new Error(`concrete: no value for Ref ${name}`);
    return found;
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return (concrete(parts, refs, env) as unknown[]).map(String).join(separator);
  }
  if ('Fn::GetAtt' in object) return (object['Fn::GetAtt'] as string[]).join('.');
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, concrete(v, refs, env)]));
}
