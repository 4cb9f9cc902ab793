import { ORIGIN_SECRET_LENGTH } from '../../../contracts/origin-secret-rotation';
import { newOriginSecret } from '../../../lambda/origin-secret-rotation/index';

describe('newOriginSecret', () => {
  it('makes 64 alphanumeric characters, a different value each time', () => {
    const values = Array.from({ length: 200 }, () => newOriginSecret());
    for (const value of values) expect(value).toMatch(new RegExp(`^[A-Za-z0-9]{${ORIGIN_SECRET_LENGTH}}$`));
    expect(new Set(values).size).toBe(200);
  });

  it('uses every alphanumeric character about equally often (no modulo bias toward the first ones)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 500; i++) for (const c of newOriginSecret()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (500 * 64) / 62;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.25);
  });
});
