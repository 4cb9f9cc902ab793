import { KEY_ROTATION_ENV } from '../../../contracts/api-keys';
import { errorName, log, readConfig } from '../../../lambda/key-rotation/context';

const ENV = {
  [KEY_ROTATION_ENV.secretArn]: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:Keys-AbCdEf',
  [KEY_ROTATION_ENV.usagePlanId]: 'plan-1',
  [KEY_ROTATION_ENV.consumerId]: 'partner-a',
  [KEY_ROTATION_ENV.keyNamePrefix]: 'Demo.',
  [KEY_ROTATION_ENV.gracePeriodSeconds]: '604800',
  [KEY_ROTATION_ENV.deleteAfterSeconds]: '0',
};

describe('readConfig', () => {
  it('reads the consumer and converts the periods to milliseconds', () => {
    expect(readConfig(ENV)).toEqual({
      secretArn: ENV[KEY_ROTATION_ENV.secretArn],
      usagePlanId: 'plan-1',
      consumerId: 'partner-a',
      keyNamePrefix: 'Demo.',
      gracePeriodMs: 604_800_000,
      deleteAfterMs: 0,
    });
  });

  it.each(Object.values(KEY_ROTATION_ENV).map((name) => [name]))('fails when %s is missing or empty', (name) => {
    expect(() => readConfig({ ...ENV, [name]: undefined })).toThrow(`key-rotation: environment variable ${name} is not set`);
    expect(() => readConfig({ ...ENV, [name]: '' })).toThrow(`key-rotation: environment variable ${name} is not set`);
  });

  it.each(['-1', 'seven days', 'NaN', 'Infinity'])('refuses a grace period of %j', (value) => {
    expect(() => readConfig({ ...ENV, [KEY_ROTATION_ENV.gracePeriodSeconds]: value })).toThrow(
      `key-rotation: environment variable ${KEY_ROTATION_ENV.gracePeriodSeconds} must be a number of seconds`,
    );
  });
});

describe('errorName', () => {
  it('is the name of an SDK error, and undefined for anything without one', () => {
    expect(errorName(Object.assign(new Error('x'), { name: 'ResourceNotFoundException' }))).toBe('ResourceNotFoundException');
    expect(errorName({})).toBeUndefined();
    expect(errorName(undefined)).toBeUndefined();
  });
});

describe('log', () => {
  it('writes one JSON line with the level and message first', () => {
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      log('WARN', 'throttled', { operation: 'CreateApiKey' });
      expect(spy).toHaveBeenCalledTimes(1);
      const line = spy.mock.calls[0][0] as string;
      expect(JSON.parse(line)).toEqual({ level: 'WARN', message: 'throttled', operation: 'CreateApiKey' });
      expect(Object.keys(JSON.parse(line)).slice(0, 2)).toEqual(['level', 'message']);
    } finally {
      spy.mockRestore();
    }
  });
});
