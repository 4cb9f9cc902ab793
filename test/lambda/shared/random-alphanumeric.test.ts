import { randomAlphanumeric } from '../../../lambda/shared/random-alphanumeric';

describe('randomAlphanumeric', () => {
  it.each([1, 40, 64, 300])('makes exactly %i alphanumeric characters', (length) => {
    expect(randomAlphanumeric(length)).toMatch(new RegExp(`^[A-Za-z0-9]{${length}}$`));
  });

  it('uses every alphanumeric character about equally often (no modulo bias toward the first ones)', () => {
    const counts = new Map<string, number>();
    for (const c of randomAlphanumeric(62 * 500)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const count of counts.values()) expect(Math.abs(count - 500) / 500).toBeLessThan(0.25);
  });
});
