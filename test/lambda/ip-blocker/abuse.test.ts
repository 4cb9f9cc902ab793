// Abuse cases of automatic blocking, run as an attacker would run them, through the real authorizer
// handler, the real access-log format and the real ip-blocker handler (AWS SDK clients mocked with
// in-memory models of the WAF IP sets and the DynamoDB table).
import { DeleteItemCommand, DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetIPSetCommand, UpdateIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { IP_BLOCKER_ENV, IP_BLOCKER_METRICS } from '../../../contracts/ip-blocker';
import { DeliveryResult } from '../../../lambda/ip-blocker/blocker';
import { handler } from '../../../lambda/ip-blocker/index';
import { AuthorizerUnderTest, configFor, requestEvent } from '../authorizer/support/harness';
import { jws } from '../authorizer/support/tokens';
import { renderAccessLogLine } from '../../observability/support/access-log-lines';
import { captureLogLines, delivery, failures, metricValue, rejectionLine } from './helpers';
import { IpSetModel, TableModel } from './models';

const wafMock = mockClient(WAFV2Client);
const dynamoMock = mockClient(DynamoDBClient);
const VICTIM = '198.51.100.77';
const ATTACKER = '203.0.113.66';

let v4: IpSetModel;
let v6: IpSetModel;
let table: TableModel;
let log: ReturnType<typeof captureLogLines>;

beforeEach(() => {
  wafMock.reset();
  dynamoMock.reset();
  v4 = new IpSetModel('Api-auto-blocked-v4', 'id-v4');
  v6 = new IpSetModel('Api-auto-blocked-v6', 'id-v6');
  table = new TableModel();
  const sets = (): { [id: string]: IpSetModel } => ({ [v4.id]: v4, [v6.id]: v6 });
  wafMock.on(GetIPSetCommand).callsFake((input) => sets()[input.Id].get());
  wafMock.on(UpdateIPSetCommand).callsFake((input) => sets()[input.Id].update(input));
  dynamoMock.on(UpdateItemCommand).callsFake(async (input) => table.updateItem(input));
  dynamoMock.on(QueryCommand).callsFake(async (input) => table.query(input));
  dynamoMock.on(DeleteItemCommand).callsFake(async (input) => table.deleteItem(input));
  Object.assign(process.env, {
    [IP_BLOCKER_ENV.tableName]: 'state',
    [IP_BLOCKER_ENV.ipv4Set]: JSON.stringify({ name: v4.name, id: v4.id, scope: 'REGIONAL' }),
    [IP_BLOCKER_ENV.ipv6Set]: JSON.stringify({ name: v6.name, id: v6.id, scope: 'REGIONAL' }),
    [IP_BLOCKER_ENV.threshold]: '20',
    [IP_BLOCKER_ENV.windowSeconds]: '300',
    [IP_BLOCKER_ENV.blockSeconds]: '3600',
    [IP_BLOCKER_ENV.neverBlock]: '[]',
    [IP_BLOCKER_ENV.maxAddresses]: '10000',
    [IP_BLOCKER_ENV.apiName]: 'Api',
  });
  delete process.env[IP_BLOCKER_ENV.ipv6Prefix];
  log = captureLogLines();
});

afterEach(() => log.restore());

async function deliver(messages: unknown[]): Promise<DeliveryResult> {
  return (await handler(delivery(messages))) as DeliveryResult;
}

/** The access-log line API Gateway writes for a request without credentials: it answers 401 itself, without calling the authorizer. */
function credentialLessLine(ip: string, i: number): string {
  return renderAccessLogLine({
    '$context.identity.sourceIp': ip,
    '$context.status': i % 2 === 0 ? '401' : '403',
    '$context.error.responseType': i % 2 === 0 ? 'UNAUTHORIZED' : 'MISSING_AUTHENTICATION_TOKEN',
    '$context.error.message': i % 2 === 0 ? 'Unauthorized' : 'Missing Authentication Token',
    '$context.requestTimeEpoch': String(Date.now()),
  });
}

/** A REQUEST authorizer event as API Gateway sends it, from `ip`, with `headers`. */
function eventFrom(ip: string, authorization: string, headers: { [name: string]: string } = {}, path?: string): unknown {
  const event = requestEvent(authorization, 'GET /orders/{orderId}', path, headers) as { requestContext: object };
  return { ...event, requestContext: { ...event.requestContext, identity: { sourceIp: ip, userAgent: headers['User-Agent'] ?? 'jest' } } };
}

/** A token an attacker made up: HS256 "signed" with a guessed secret, a different one each time. */
function forgedToken(i: number): string {
  return jws(
    { alg: 'HS256', kid: `k${i}`, typ: 'at+jwt' },
    { iss: 'https://idp.example.com', sub: 'admin', scope: 'orders:admin', n: i },
    { hmacSecret: `guess-${i}` },
  );
}

describe('automatic blocking cannot be turned against a victim (issue 13 #2)', () => {
  it('never blocks an address for 100 credential-less requests, such as a hostile page makes its visitors send', async () => {
    // 20 <img src> tags on a page the victim opens, five times over. A cross-site request cannot carry
    // an Authorization or x-api-key header without a CORS preflight (test/cors/cors-preflight.test.ts).
    const lines = Array.from({ length: 100 }, (_, i) => credentialLessLine(VICTIM, i));
    const result = await deliver(lines);
    expect(result.blocked).toEqual([]);
    expect(v4.addresses).toEqual([]);
    expect(dynamoMock.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('never blocks a client that keeps retrying with an expired token, or an authenticated caller without the scope', async () => {
    const result = await deliver([...failures(VICTIM, 60, 'expired'), ...failures(VICTIM, 60, 'insufficient_scope')]);
    expect(result.failures).toBe(0);
    expect(result.blocked).toEqual([]);
  });

  it('blocks an address after 20 forged tokens, each rejected by the real authorizer', async () => {
    const authorizer = new AuthorizerUnderTest(configFor({ issuer: 'https://idp.example.com', audience: ['orders'] }));
    for (let i = 0; i < 20; i++) {
      const run = await authorizer.run(eventFrom(ATTACKER, `Bearer ${forgedToken(i)}`));
      expect(run.outcome).toBe('401');
    }
    const result = await deliver(authorizer.lines);
    expect(result.failures).toBe(20);
    expect(result.blocked).toEqual([`${ATTACKER}/32`]);
    expect(v4.addresses).toEqual([`${ATTACKER}/32`]);
  });
});

describe('IPv6 rotation cannot evade blocking (issue 13 #3)', () => {
  it('blocks the /64 of an attacker who uses a new address of it for each forged token', async () => {
    const lines = Array.from({ length: 20 }, (_, i) =>
      rejectionLine(`2001:db8:1234:5678:${(i + 1).toString(16)}::${i + 7}`, 'bad_signature'),
    );
    const result = await deliver(lines);
    expect(result.blocked).toEqual(['2001:db8:1234:5678::/64']);
    expect(v6.addresses).toEqual(['2001:db8:1234:5678::/64']);
  });

  it('aggregates by the configured prefix', async () => {
    process.env[IP_BLOCKER_ENV.ipv6Prefix] = '48';
    const lines = Array.from({ length: 20 }, (_, i) => rejectionLine(`2001:db8:1234:${(i + 1).toString(16)}::1`, 'bad_signature'));
    expect((await deliver(lines)).blocked).toEqual(['2001:db8:1234::/48']);
  });
});

describe('spelling one address several ways cannot evade counting or blocking (issue 16)', () => {
  /** Spellings of ATTACKER (203.0.113.66) as an IPv4-mapped IPv6 address; hex c0 00 71 42. */
  const ATTACKER_SPELLINGS = [
    ATTACKER,
    `::ffff:${ATTACKER}`,
    `::FFFF:${ATTACKER}`,
    `0:0:0:0:0:ffff:${ATTACKER}`,
    '::ffff:cb00:7142',
    '::FFFF:CB00:7142',
    '0000:0000:0000:0000:0000:ffff:cb00:7142',
  ];

  it('blocks an IPv4 attacker once, as its /32, after 20 forged tokens spread over its IPv4-mapped spellings', async () => {
    const authorizer = new AuthorizerUnderTest(configFor({ issuer: 'https://idp.example.com', audience: ['orders'] }));
    for (let i = 0; i < 20; i++) {
      const run = await authorizer.run(eventFrom(ATTACKER_SPELLINGS[i % ATTACKER_SPELLINGS.length], `Bearer ${forgedToken(i)}`));
      expect(run.outcome).toBe('401');
    }
    const result = await deliver(authorizer.lines);
    expect(result.failures).toBe(20);
    expect(result.blocked).toEqual([`${ATTACKER}/32`]);
    expect(v4.addresses).toEqual([`${ATTACKER}/32`]);
    // Not the IPv6 network ::/64 that the hex spellings would fall into as IPv6 addresses.
    expect(v6.addresses).toEqual([]);
  });

  it('adds up the spellings across deliveries: 19 failures then one more under a new spelling block the address', async () => {
    const first = await deliver(Array.from({ length: 19 }, (_, i) => rejectionLine(ATTACKER_SPELLINGS[i % 6], 'bad_signature')));
    expect(first.blocked).toEqual([]);
    const second = await deliver([rejectionLine(ATTACKER_SPELLINGS[6], 'bad_signature')]);
    expect(second.blocked).toEqual([`${ATTACKER}/32`]);
  });

  it('never counts a never-block address, however its probes spell it', async () => {
    process.env[IP_BLOCKER_ENV.neverBlock] = JSON.stringify([VICTIM]);
    const spellings = [`::ffff:${VICTIM}`, '::ffff:c633:644d', '0:0:0:0:0:FFFF:C633:644D'];
    const result = await deliver(Array.from({ length: 30 }, (_, i) => rejectionLine(spellings[i % spellings.length], 'bad_signature')));
    expect(result.neverBlocked).toBe(30);
    expect(result.failures).toBe(0);
    expect(result.blocked).toEqual([]);
    expect([...v4.addresses, ...v6.addresses]).toEqual([]);
  });

  it('blocks an IPv6 attacker once, as its /64, whatever mix of spellings and neighbouring addresses it uses', async () => {
    const spellings = [
      '2001:db8:1234:5678::9',
      '2001:DB8:1234:5678::9',
      '2001:0db8:1234:5678:0000:0000:0000:0009',
      '2001:db8:1234:5678:0:0:0:9',
      '2001:db8:1234:5678::a',
      '2001:db8:1234:5678:ffff:ffff:ffff:ffff',
      '2001:db8:1234:5678:0:ffff:cb00:7142',
    ];
    const result = await deliver(Array.from({ length: 20 }, (_, i) => rejectionLine(spellings[i % spellings.length], 'bad_signature')));
    expect(result.failures).toBe(20);
    expect(result.blocked).toEqual(['2001:db8:1234:5678::/64']);
    expect(v6.addresses).toEqual(['2001:db8:1234:5678::/64']);
    expect(v4.addresses).toEqual([]);
  });
});

describe('hostile fields in logs cannot choose the blocked address (issue 19 #5)', () => {
  const HOSTILE_VALUES = [
    `x","sourceIp":"${VICTIM}`,
    `x","probe":true,"Reason":"bad_signature","sourceIp":"${VICTIM}`,
    '"',
    'a\\", "sourceIp": "' + VICTIM,
  ];

  it('blocks the real address, never the victim, when the attacker puts a forged sourceIp into the User-Agent, path and query', async () => {
    const authorizer = new AuthorizerUnderTest(configFor({ issuer: 'https://idp.example.com', audience: ['orders'] }));
    for (let i = 0; i < 20; i++) {
      const hostile = HOSTILE_VALUES[i % HOSTILE_VALUES.length];
      const event = eventFrom(
        ATTACKER,
        `Bearer ${forgedToken(i)}`,
        { 'User-Agent': hostile },
        `/orders/${encodeURIComponent(hostile)}?q=${hostile}`,
      ) as { queryStringParameters: object };
      await authorizer.run({ ...event, queryStringParameters: { q: hostile } });
    }
    // API Gateway may not escape $context values in the access log (19 #5): render them raw.
    const accessLines = HOSTILE_VALUES.flatMap((hostile) =>
      Array.from({ length: 10 }, () =>
        renderAccessLogLine({
          '$context.identity.sourceIp': ATTACKER,
          '$context.identity.userAgent': hostile,
          '$context.path': `/v1/orders/${hostile}`,
          '$context.status': '401',
          '$context.error.responseType': 'UNAUTHORIZED',
        }),
      ),
    );
    const result = await deliver([...accessLines, ...authorizer.lines]);
    expect(result.blocked).toEqual([`${ATTACKER}/32`]);
    expect(v4.addresses).toEqual([`${ATTACKER}/32`]);
    expect(table.get('blocks', `${VICTIM}/32`)).toBeUndefined();
  });

  it('refuses a probe line with a duplicate key instead of letting the last one win, and counts it as unreadable', async () => {
    const forged = Array.from(
      { length: 25 },
      () => `{"sourceIp":"${ATTACKER}","probe":true,"Reason":"bad_signature","x":"x","sourceIp":"${VICTIM}"}`,
    );
    const result = await deliver(forged);
    expect(result.blocked).toEqual([]);
    expect(result.skipped).toEqual({ 'duplicate-key': 25 });
    const summary = log.lines().find((l) => metricValue(l, IP_BLOCKER_METRICS.malformed) !== undefined);
    expect(summary).toMatchObject({ MalformedLogEvents: 25 });
  });

  it('counts a line broken by a bare quote as unreadable, and never reads an address out of it', async () => {
    const broken = Array.from({ length: 25 }, () => `{"sourceIp":"${ATTACKER}","probe":true,"Reason":"bad_signature","userAgent":"""}`);
    const result = await deliver(broken);
    expect(result.blocked).toEqual([]);
    expect(result.skipped).toEqual({ 'not-json': 25 });
  });
});
