import { GetIPSetCommand, UpdateIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { AddressRanges, Cidr, parseCidr } from '../../../contracts/cidr';
import { applyBlockSetChange, LockConflictError, LockRetry, planBlockSetChange } from '../../../lambda/ip-blocker/ip-set';
import { IpSetModel } from './models';

const cidr = (text: string): Cidr => parseCidr(text)!;
const none = new AddressRanges([]);
const ref = { name: 'blocked-v4', id: 'id-v4', scope: 'REGIONAL' as const };

describe('planBlockSetChange', () => {
  it('adds what is missing and keeps entries written by others, whatever their spelling', () => {
    const plan = planBlockSetChange(
      ['192.0.2.1/32', '2001:DB8::1/128'],
      { add: [cidr('192.0.2.1'), cidr('2001:db8::1'), cidr('192.0.2.2')], remove: new Set() },
      10,
      none,
    );
    expect(plan.added.map((c) => c.key)).toEqual(['192.0.2.2/32']);
    expect(plan.next).toEqual(['192.0.2.1/32', '2001:DB8::1/128', '192.0.2.2/32']);
  });

  it('plans no update when nothing changes', () => {
    expect(planBlockSetChange(['192.0.2.1/32'], { add: [cidr('192.0.2.1')], remove: new Set() }, 10, none).next).toBeUndefined();
  });

  it('never adds and always removes never-block addresses', () => {
    const never = new AddressRanges([cidr('10.0.0.0/8')]);
    const plan = planBlockSetChange(['10.1.1.1/32', '192.0.2.1/32'], { add: [cidr('10.2.2.2')], remove: new Set() }, 10, never);
    expect(plan.next).toEqual(['192.0.2.1/32']);
    expect(plan.removed).toEqual(['10.1.1.1/32']);
    expect(plan.added).toEqual([]);
  });

  it('stops at the cap and reports the rest as overflow, after making room by removals', () => {
    const plan = planBlockSetChange(
      ['192.0.2.1/32', '192.0.2.2/32'],
      { add: [cidr('192.0.2.3'), cidr('192.0.2.4')], remove: new Set(['192.0.2.1/32']) },
      2,
      none,
    );
    expect(plan.next).toEqual(['192.0.2.2/32', '192.0.2.3/32']);
    expect(plan.overflow.map((c) => c.key)).toEqual(['192.0.2.4/32']);
  });
});

describe('applyBlockSetChange', () => {
  const waf = mockClient(WAFV2Client);
  let model: IpSetModel;
  const delays: number[] = [];
  const retry: LockRetry = { maxAttempts: 4, delayMs: (n) => 10 * 2 ** (n - 1), sleep: async (ms) => void delays.push(ms) };

  beforeEach(() => {
    waf.reset();
    delays.length = 0;
    model = new IpSetModel(ref.name, ref.id, ['192.0.2.1/32']);
    waf.on(GetIPSetCommand).callsFake(() => model.get());
    waf.on(UpdateIPSetCommand).callsFake((input) => model.update(input));
  });

  it('backs off between attempts while the lock conflicts, then succeeds with the fresh token', async () => {
    model.beforeUpdate = (m, call) => {
      if (call <= 2) m.externalWrite([...m.addresses, `198.51.100.${call}/32`]);
    };
    const result = await applyBlockSetChange(
      waf as unknown as WAFV2Client,
      ref,
      { add: [cidr('203.0.113.1')], remove: new Set() },
      10,
      none,
      retry,
    );
    expect(result.attempts).toBe(3);
    expect(delays).toEqual([10, 20]);
    expect(model.addresses.sort()).toEqual(['192.0.2.1/32', '198.51.100.1/32', '198.51.100.2/32', '203.0.113.1/32']);
  });

  it('gives up after maxAttempts with an error naming the set', async () => {
    model.beforeUpdate = (m) => m.externalWrite(m.addresses);
    await expect(
      applyBlockSetChange(waf as unknown as WAFV2Client, ref, { add: [cidr('203.0.113.1')], remove: new Set() }, 10, none, retry),
    ).rejects.toThrow(new LockConflictError(ref, 4));
    expect(model.conflicts).toBe(4);
    expect(delays).toEqual([10, 20, 40]);
  });

  it('does not retry errors other than lock conflicts', async () => {
    waf.on(UpdateIPSetCommand).rejects(Object.assign(new Error('not allowed'), { name: 'WAFInvalidParameterException' }));
    await expect(
      applyBlockSetChange(waf as unknown as WAFV2Client, ref, { add: [cidr('203.0.113.1')], remove: new Set() }, 10, none, retry),
    ).rejects.toThrow('not allowed');
    expect(delays).toEqual([]);
  });
});
