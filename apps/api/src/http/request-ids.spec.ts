import type { IncomingMessage } from 'node:http';
import { requestIdOf } from './request-ids';

const rawRequest = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage & { id?: string };

describe('the request id', () => {
  it('is the caller\'s X-Request-Id when bounded, and is left on the raw request for the request logger', () => {
    const raw = rawRequest({ 'x-request-id': 'job-board:42' });
    expect(requestIdOf(raw)).toBe('job-board:42');
    expect(raw.id).toBe('job-board:42');
    expect(requestIdOf(rawRequest({ 'x-request-id': ['first', 'second'] }))).toBe('first');
  });

  it('is made by the service for an absent, empty, over-long or invisible X-Request-Id', () => {
    for (const headers of [{} as Record<string, string>, { 'x-request-id': '' }, { 'x-request-id': 'x'.repeat(129) }, { 'x-request-id': 'a b' }, { 'x-request-id': 'é' }]) {
      const raw = rawRequest(headers);
      const id = requestIdOf(raw);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(raw.id).toBe(id);
    }
  });
});
