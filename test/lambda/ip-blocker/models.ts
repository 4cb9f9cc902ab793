// Behavioural models of the two services the ip-blocker talks to, plugged into aws-sdk-client-mock.
// They keep state between calls, so a test observes what the handler did to the IP set and the table.
import { AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { WAFOptimisticLockException } from '@aws-sdk/client-wafv2';

/**
 * A WAF IP set: addresses plus a LockToken that changes on every update. An update carrying a
 * stale token fails with WAFOptimisticLockException, as WAF's does.
 */
export class IpSetModel {
  public addresses: string[];
  public lockToken = 'token-0';
  public readonly description = 'addresses blocked automatically';
  public updates = 0;
  public conflicts = 0;
  /** Runs before an update is applied: lets a test act as a concurrent writer. */
  public beforeUpdate?: (model: IpSetModel, call: number) => void;
  private version = 0;

  constructor(
    public readonly name: string,
    public readonly id: string,
    addresses: string[] = [],
    private readonly limit = 10_000,
  ) {
    this.addresses = [...addresses];
  }

  public async get(): Promise<{
    IPSet: { Name: string; Id: string; Addresses: string[]; Description: string; IPAddressVersion: string; ARN: string };
    LockToken: string;
  }> {
    await new Promise((resolve) => setImmediate(resolve));
    return {
      IPSet: {
        Name: this.name,
        Id: this.id,
        Addresses: [...this.addresses],
        Description: this.description,
        IPAddressVersion: 'IPV4',
        ARN: `arn:aws:wafv2:eu-west-1:111122223333:regional/ipset/${this.name}/${this.id}`,
      },
      LockToken: this.lockToken,
    };
  }

  public async update(input: { Addresses?: string[]; LockToken?: string; Description?: string }): Promise<{ NextLockToken: string }> {
    await new Promise((resolve) => setImmediate(resolve));
    this.beforeUpdate?.(this, this.updates + this.conflicts + 1);
    if (input.LockToken !== this.lockToken) {
      this.conflicts++;
      throw new WAFOptimisticLockException({
        message: 'AWS WAF couldn’t save your changes because someone changed the resource after you started to edit it.',
        $metadata: {},
      });
    }
    if ((input.Addresses ?? []).length > this.limit) throw new Error(`WAFLimitsExceededException: more than ${this.limit} addresses`);
    if (input.Description !== this.description) throw new Error('the description was not passed through');
    this.addresses = [...(input.Addresses ?? [])];
    this.updates++;
    return { NextLockToken: this.bumpToken() };
  }

  /** A change by someone else: the token moves on. */
  public externalWrite(addresses: string[]): void {
    this.addresses = [...addresses];
    this.bumpToken();
  }

  private bumpToken(): string {
    this.lockToken = `token-${++this.version}`;
    return this.lockToken;
  }
}

type Item = { [name: string]: AttributeValue };
type Names = { [placeholder: string]: string } | undefined;
type Values = { [placeholder: string]: AttributeValue } | undefined;

/**
 * A DynamoDB table with a string partition and sort key. It evaluates the subset of expression
 * syntax the handler uses: SET (with if_not_exists) and ADD updates, conditions joined by AND/OR
 * over attribute_not_exists, =, <, and key conditions with = and BETWEEN. Queries return pages of
 * `pageSize` items so pagination is exercised.
 */
export class TableModel {
  public readonly items = new Map<string, Item>();
  /** Runs before a delete is applied: lets a test act as a concurrent writer. */
  public beforeDelete?: (key: { pk: string; sk: string }) => void;

  constructor(private readonly pageSize = 3) {}

  public get(pk: string, sk: string): Item | undefined {
    return this.items.get(`${pk}\u0000${sk}`);
  }

  public put(item: Item): void {
    this.items.set(`${item.pk.S}\u0000${item.sk.S}`, item);
  }

  public updateItem(input: {
    Key?: Item;
    UpdateExpression?: string;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Names;
    ExpressionAttributeValues?: Values;
  }): object {
    const key = input.Key!;
    const existing = this.get(key.pk.S!, key.sk.S!);
    if (
      input.ConditionExpression &&
      !evaluateCondition(input.ConditionExpression, existing, input.ExpressionAttributeNames, input.ExpressionAttributeValues)
    ) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    }
    const item: Item = { ...(existing ?? {}), pk: key.pk, sk: key.sk };
    for (const clause of splitClauses(input.UpdateExpression!)) {
      if (clause.verb === 'SET') {
        for (const assignment of splitTopLevel(clause.body)) {
          const [left, right] = assignment.split('=').map((s) => s.trim());
          const name = resolveName(left, input.ExpressionAttributeNames);
          const ifNotExists = /^if_not_exists\((.+),(.+)\)$/.exec(right.replace(/\s/g, ''));
          if (ifNotExists) {
            const current = item[resolveName(ifNotExists[1], input.ExpressionAttributeNames)];
            item[name] = current ?? input.ExpressionAttributeValues![ifNotExists[2]];
          } else {
            item[name] = input.ExpressionAttributeValues![right];
          }
        }
      } else {
        const [left, right] = clause.body.trim().split(/\s+/);
        const name = resolveName(left, input.ExpressionAttributeNames);
        const add = Number(input.ExpressionAttributeValues![right].N);
        item[name] = { N: String(Number(item[name]?.N ?? 0) + add) };
      }
    }
    this.put(item);
    return {};
  }

  public query(input: {
    KeyConditionExpression?: string;
    ExpressionAttributeNames?: Names;
    ExpressionAttributeValues?: Values;
    ExclusiveStartKey?: Item;
    ConsistentRead?: boolean;
  }): object {
    if (input.ConsistentRead !== true) throw new Error('the handler must read its own writes: ConsistentRead is required');
    const names = input.ExpressionAttributeNames;
    const values = input.ExpressionAttributeValues!;
    const match = /^(\S+) = (\S+)(?: AND (\S+) BETWEEN (\S+) AND (\S+))?$/.exec(input.KeyConditionExpression!.trim());
    if (!match) throw new Error(`unsupported key condition ${input.KeyConditionExpression}`);
    if (resolveName(match[1], names) !== 'pk') throw new Error('key condition must be on pk');
    const pk = values[match[2]].S!;
    const matching = [...this.items.values()]
      .filter((item) => item.pk.S === pk)
      .filter((item) => match[3] === undefined || (item.sk.S! >= values[match[4]].S! && item.sk.S! <= values[match[5]].S!))
      .sort((a, b) => a.sk.S!.localeCompare(b.sk.S!));
    const start = input.ExclusiveStartKey ? matching.findIndex((i) => i.sk.S === input.ExclusiveStartKey!.sk.S) + 1 : 0;
    const page = matching.slice(start, start + this.pageSize);
    const more = start + this.pageSize < matching.length;
    return {
      Items: page.map((i) => ({ ...i })),
      LastEvaluatedKey: more ? { pk: page[page.length - 1].pk, sk: page[page.length - 1].sk } : undefined,
    };
  }

  public deleteItem(input: {
    Key?: Item;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Names;
    ExpressionAttributeValues?: Values;
  }): object {
    const key = input.Key!;
    this.beforeDelete?.({ pk: key.pk.S!, sk: key.sk.S! });
    const existing = this.get(key.pk.S!, key.sk.S!);
    if (
      input.ConditionExpression &&
      !evaluateCondition(input.ConditionExpression, existing, input.ExpressionAttributeNames, input.ExpressionAttributeValues)
    ) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    }
    this.items.delete(`${key.pk.S}\u0000${key.sk.S}`);
    return {};
  }
}

function resolveName(token: string, names: Names): string {
  return token.startsWith('#') ? names![token] : token;
}

/** Splits on commas outside parentheses (`a = :a, b = if_not_exists(b, :b)`). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    current += ch;
  }
  parts.push(current);
  return parts;
}

function splitClauses(expression: string): { verb: 'SET' | 'ADD'; body: string }[] {
  const parts = expression
    .split(/\b(SET|ADD)\b/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const clauses: { verb: 'SET' | 'ADD'; body: string }[] = [];
  for (let i = 0; i < parts.length; i += 2) clauses.push({ verb: parts[i] as 'SET' | 'ADD', body: parts[i + 1] });
  return clauses;
}

function evaluateCondition(expression: string, item: Item | undefined, names: Names, values: Values): boolean {
  const term = (text: string): boolean => {
    const notExists = /^attribute_not_exists\((\S+)\)$/.exec(text);
    if (notExists) return item?.[resolveName(notExists[1], names)] === undefined;
    const comparison = /^(\S+) (=|<) (\S+)$/.exec(text);
    if (!comparison) throw new Error(`unsupported condition ${text}`);
    const left = item?.[resolveName(comparison[1], names)];
    const right = values![comparison[3]];
    if (left === undefined) return false;
    const [a, b] = left.N !== undefined ? [Number(left.N), Number(right.N)] : [left.S, right.S];
    return comparison[2] === '=' ? a === b : a! < b!;
  };
  return expression.split(' OR ').some((alternative) => alternative.split(' AND ').every((t) => term(t.trim())));
}
