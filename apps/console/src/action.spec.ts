import { intentKey } from './action';

describe('the idempotency key of a console action', () => {
  it('is the same for the same action on the same target with the same body, and another for any other intent', () => {
    const path = '/v1/withdrawals/w-1/approve';
    const key = intentKey(path, { reason: 'ID checked' });
    expect(key).toMatch(/^console-[0-9a-f]{32}$/);
    expect(intentKey(path, { reason: 'ID checked' })).toBe(key);
    expect(intentKey(path, { reason: 'Documents checked' })).not.toBe(key);
    expect(intentKey('/v1/withdrawals/w-2/approve', { reason: 'ID checked' })).not.toBe(key);
  });
});
