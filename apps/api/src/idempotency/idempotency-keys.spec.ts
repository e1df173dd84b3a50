import type { EventMetadata, RecordedEvent } from '@escrow/event-store/port';
import type { CommandContext } from '../http/command-context';
import { eventsOfRetry, hashReaction, hashRequest, idempotencyScope, StreamKeys } from '.';

const worker = { id: 'worker-1', role: 'user' as const };

/** Stored events and records are recognised as retries only while these never change: the values were computed once. */
describe('key scopes and request hashes for fixed inputs', () => {
  it('scopes a key by calling service, actor role, actor id and key', () => {
    expect(idempotencyScope('job-board', worker, 'offer-1')).toBe('job-board\u0000user\u0000worker-1\u0000offer-1');
  });

  it('hashes a request the same way, whatever the order of its body’s keys', () => {
    const request = { method: 'POST', route: '/v1/contracts/:contractId/accept', params: { contractId: 'c-1' }, actor: worker };
    const HASH = 'e2dfedc16db09980e7ac39bb2520bea50ebfaa6ede594456a9c66b7212240e20';
    expect(hashRequest({ ...request, body: { b: [1, { y: 2, x: undefined, a: 'é' }], a: null } })).toBe(HASH);
    expect(hashRequest({ ...request, body: { a: null, b: [1, { a: 'é', y: 2 }] } })).toBe(HASH);
    expect(hashRequest({ ...request, body: { a: null, b: [{ a: 'é', y: 2 }, 1] } })).not.toBe(HASH);
    expect(hashRequest({ ...request, actor: { ...worker, id: 'worker-2' }, body: { a: null, b: [1, { a: 'é', y: 2 }] } })).not.toBe(HASH);
  });

  it('hashes the command of a reaction by its key', () => {
    expect(hashReaction('wallet-credit:evt-1')).toBe('a427858bf5bf957226c4f3c80f56c0e5e34c0a3df00286f8357e349f624ed80d');
  });
});

describe('what a key means for a stream', () => {
  const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
    actor: worker,
    callingService: 'job-board',
    idempotencyKey: 'deliver-1',
    requestHash: 'hash-1',
    correlationId: 'corr',
    requestId: 'req',
    at: '2026-11-25T00:00:00.000Z',
    ...overrides,
  });
  let revision = 0;
  const stored = (metadata: Partial<EventMetadata>): RecordedEvent => ({
    id: `evt-${revision}`,
    streamId: 'contract-c-1',
    revision,
    position: 100 + revision++,
    type: 'MilestoneDelivered',
    data: {},
    recordedAt: '2026-11-25T00:00:00.000Z',
    metadata: {
      schemaVersion: 1,
      occurredAt: '2026-11-25T00:00:00.000Z',
      actor: worker,
      correlationId: 'corr',
      causationId: 'req',
      ...metadata,
    },
  });
  const keysOf = (...events: RecordedEvent[]): StreamKeys => {
    const keys = new StreamKeys();
    for (const event of events) keys.learn(event);
    return keys;
  };

  beforeEach(() => {
    revision = 0;
  });

  it('is new without a key, and for a key the stream has not seen', () => {
    const keys = keysOf(stored({ callingService: 'job-board', idempotencyKey: 'other', requestHash: 'hash-1' }));
    expect(keys.meaningOf(context({ idempotencyKey: undefined }))).toEqual({ kind: 'new' });
    expect(keys.meaningOf(context())).toEqual({ kind: 'new' });
  });

  it('is a retry when the key comes back with the request that first used it, and a reuse with another', () => {
    const keys = keysOf(stored({ callingService: 'job-board', idempotencyKey: 'deliver-1', requestHash: 'hash-1' }));
    expect(keys.meaningOf(context())).toEqual({ kind: 'retry', scope: idempotencyScope('job-board', worker, 'deliver-1') });
    expect(keys.meaningOf(context({ requestHash: 'hash-2' }))).toEqual({ kind: 'reuse' });
  });

  it('keeps each caller’s keys apart: the same key from another calling service, actor or role is new', () => {
    const keys = keysOf(stored({ callingService: 'job-board', idempotencyKey: 'deliver-1', requestHash: 'hash-1' }));
    expect(keys.meaningOf(context({ callingService: 'messaging' }))).toEqual({ kind: 'new' });
    expect(keys.meaningOf(context({ actor: { id: 'worker-2', role: 'user' } }))).toEqual({ kind: 'new' });
    expect(keys.meaningOf(context({ actor: { id: 'worker-1', role: 'support' } }))).toEqual({ kind: 'new' });
  });

  it('names a key by the first event that carries it', () => {
    const keys = keysOf(
      stored({ callingService: 'job-board', idempotencyKey: 'deliver-1', requestHash: 'hash-1' }),
      stored({ callingService: 'job-board', idempotencyKey: 'deliver-1', requestHash: 'hash-2' }),
    );
    expect(keys.meaningOf(context()).kind).toBe('retry');
    expect(keys.meaningOf(context({ requestHash: 'hash-2' })).kind).toBe('reuse');
  });

  it('reads events recorded before calling services were kept as keys of an empty calling service, and a key recorded without a request hash as matching no request', () => {
    const keys = keysOf(
      stored({ idempotencyKey: 'deliver-1', requestHash: 'hash-1' }),
      stored({ callingService: 'job-board', idempotencyKey: 'deliver-2' }),
    );
    expect(keys.meaningOf(context({ callingService: '' })).kind).toBe('retry');
    expect(keys.meaningOf(context()).kind).toBe('new');
    expect(keys.meaningOf(context({ idempotencyKey: 'deliver-2' })).kind).toBe('reuse');
  });

  it('knows the key of a command it is told was appended', () => {
    const keys = new StreamKeys();
    keys.record(context());
    keys.record(context({ idempotencyKey: undefined, requestHash: 'hash-9' }));
    expect(keys.meaningOf(context()).kind).toBe('retry');
    expect(keys.meaningOf(context({ requestHash: 'hash-2' })).kind).toBe('reuse');
  });

  it('finds the events a retried command appended, and only those', () => {
    const events = [
      stored({ callingService: 'job-board', idempotencyKey: 'deliver-1', requestHash: 'hash-1' }),
      stored({ callingService: 'messaging', idempotencyKey: 'deliver-1', requestHash: 'hash-1' }),
      stored({ callingService: 'job-board', idempotencyKey: 'deliver-1', requestHash: 'hash-1' }),
      stored({}),
    ];
    const retry = keysOf(...events).meaningOf(context());
    if (retry.kind !== 'retry') throw new Error(`expected a retry, got ${retry.kind}`);
    expect(eventsOfRetry(events, retry).map((event) => event.revision)).toEqual([0, 2]);
  });
});
