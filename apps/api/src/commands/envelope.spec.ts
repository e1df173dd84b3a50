import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@escrow/event-store/port';
import { SERVICE_ITSELF } from '../auth/api-clients';
import { loadConfig } from '../config/app-config';
import type { CommandContext } from '../http/command-context';
import { WALLET_CREDIT_ACTOR } from '../wallets/wallet-credit.reactor';
import {
  DERIVED_ID_KEY_FILE,
  DerivedIds,
  deterministicEventId,
  eventEnvelope,
  newIdFor,
  reactionContext,
  uuidFromHex,
  walletCreditKey,
} from './envelope';

describe('ids derived from idempotency keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'derived-ids-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const worker = { id: 'worker-1', role: 'user' as const };

  it('gives each caller its own seed for the same key, and the same seed again for a retry', () => {
    const ids = new DerivedIds(loadConfig({ DATA_DIR: dir, DERIVED_ID_KEY: 'k'.repeat(40) }));
    const seed = ids.seedOf('job-board', worker, 'offer-1');
    expect(ids.seedOf('job-board', worker, 'offer-1')).toBe(seed);
    expect(
      new Set([
        seed,
        ids.seedOf('messaging', worker, 'offer-1'),
        ids.seedOf('job-board', { id: 'worker-2', role: 'user' }, 'offer-1'),
        ids.seedOf('job-board', { ...worker, role: 'support' }, 'offer-1'),
      ]).size,
    ).toBe(4);
  });

  it('depends on the secret, so nobody without it can predict an id', () => {
    const one = new DerivedIds(loadConfig({ DATA_DIR: dir, DERIVED_ID_KEY: 'a'.repeat(40) }));
    const other = new DerivedIds(loadConfig({ DATA_DIR: dir, DERIVED_ID_KEY: 'b'.repeat(40) }));
    expect(one.seedOf('job-board', worker, 'offer-1')).not.toBe(other.seedOf('job-board', worker, 'offer-1'));
  });

  it('without DERIVED_ID_KEY, creates a random key in the data folder once and keeps using it', () => {
    const first = new DerivedIds(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }));
    const key = readFileSync(join(dir, DERIVED_ID_KEY_FILE), 'utf8');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const again = new DerivedIds(loadConfig({ DATA_DIR: dir }));
    expect(again.seedOf('job-board', worker, 'offer-1')).toBe(first.seedOf('job-board', worker, 'offer-1'));
  });

  it('creates the key file whole, leaving nothing else in the data folder', () => {
    new DerivedIds(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }));
    expect(readdirSync(dir)).toEqual([DERIVED_ID_KEY_FILE]);
  });

  it('refuses a key file that is empty or half-written, as a start killed while writing it would leave, instead of deriving ids from it', () => {
    for (const damaged of ['', '3f9a0c', `${'a'.repeat(63)}`, `${'a'.repeat(63)}g`]) {
      writeFileSync(join(dir, DERIVED_ID_KEY_FILE), damaged);
      expect(() => new DerivedIds(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }))).toThrow(/derived-id\.key does not hold a derived-id key/);
    }
  });
});

/**
 * Stored events and keys are recognised as retries only while the same inputs give the same ids: these values
 * were computed once and must never change (a change would make every stored command look new on its retry).
 */
describe('ids derived for fixed inputs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'derived-ids-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const worker = { id: 'worker-1', role: 'user' as const };
  const derivedIds = () => new DerivedIds(loadConfig({ DATA_DIR: dir, DERIVED_ID_KEY: 'pinned-derived-id-key-of-40-characters!!' }));
  const SEED = 'a1d9886c387097ffb6dcf6c9e261e998a4558e6da9936dcf54ff93545d7e6a0b';
  const payout: RecordedEvent = {
    id: 'evt-1',
    streamId: 'contract-c-1',
    revision: 7,
    position: 42,
    type: 'MilestonePaidOut',
    data: {},
    recordedAt: '2026-11-25T00:00:01.000Z',
    metadata: {
      schemaVersion: 1,
      occurredAt: '2026-11-25T00:00:00.000Z',
      actor: { id: 'settlement', role: 'system' },
      correlationId: 'corr-1',
      causationId: 'req-1',
    },
  };

  it('gives a key in its caller’s scope the same seed', () => {
    expect(derivedIds().seedOf('job-board', worker, 'offer-1')).toBe(SEED);
  });

  it('derives the same event ids and created ids from a seed', () => {
    expect(deterministicEventId(SEED, 'contract-c-1', 3)).toBe('c6e739b4-8545-8f5c-af5b-dd4a532bc9d4');
    const context = { keySeed: SEED } as CommandContext;
    expect(newIdFor(context, 'contract')).toBe('7205981b-dbe6-885c-9518-a12d6122c614');
    expect(newIdFor(context, 'milestone:0')).toBe('bdad21ef-b5b9-8bbc-ac14-0320ae8aff03');
    expect(uuidFromHex('0123456789abcdef0123456789abcdef')).toBe('01234567-89ab-8def-8123-456789abcdef');
  });

  it('gives the wallet credit of a source event the same key, seed and request hash', () => {
    const key = walletCreditKey('evt-1');
    expect(key).toBe('wallet-credit:evt-1');
    expect(derivedIds().seedOf(SERVICE_ITSELF, WALLET_CREDIT_ACTOR, key)).toBe(
      'dc3c5e30b077eaedc851db42705ccb9ef18bba1ea58a217df3252be4c0567934',
    );
    const context = reactionContext(derivedIds(), { actor: WALLET_CREDIT_ACTOR, idempotencyKey: key, cause: payout });
    expect(context).toEqual({
      actor: WALLET_CREDIT_ACTOR,
      callingService: SERVICE_ITSELF,
      idempotencyKey: 'wallet-credit:evt-1',
      keySeed: 'dc3c5e30b077eaedc851db42705ccb9ef18bba1ea58a217df3252be4c0567934',
      requestHash: 'a427858bf5bf957226c4f3c80f56c0e5e34c0a3df00286f8357e349f624ed80d',
      // In the payout's correlation, caused by it and at its time, so a late delivery records the same facts.
      correlationId: 'corr-1',
      causationId: 'evt-1',
      requestId: 'evt-1',
      at: '2026-11-25T00:00:00.000Z',
    });
  });
});

describe('the envelope of an appended event', () => {
  const context: CommandContext = {
    actor: { id: 'client-1', role: 'user' },
    callingService: 'job-board',
    requestHash: 'hash-1',
    correlationId: 'corr-1',
    requestId: 'req-1',
    at: '2026-11-25T00:00:00.000Z',
  };
  const funded = { type: 'EscrowFunded', data: { milestoneId: 'm-1', amount: 11_000 } };

  it('records the schema version, time, actor, calling service, correlation and the request as its cause', () => {
    const event = eventEnvelope({ EscrowFunded: 2 }, 'contract-c-1', 3, funded, context);
    expect(event).toMatchObject({
      type: 'EscrowFunded',
      data: { milestoneId: 'm-1', amount: 11_000 },
      metadata: {
        schemaVersion: 2,
        occurredAt: '2026-11-25T00:00:00.000Z',
        actor: { id: 'client-1', role: 'user' },
        callingService: 'job-board',
        correlationId: 'corr-1',
        causationId: 'req-1',
      },
    });
    expect(event.metadata).not.toHaveProperty('idempotencyKey');
    expect(event.metadata).not.toHaveProperty('requestHash');
    // Without a key nothing is derived: every append gets an id of its own.
    expect(event.id).not.toBe(eventEnvelope({ EscrowFunded: 2 }, 'contract-c-1', 3, funded, context).id);
    expect(eventEnvelope({}, 'contract-c-1', 3, funded, context).metadata.schemaVersion).toBe(1);
  });

  it('with a key, carries the key and request hash and derives its id from the seed and its place in the stream', () => {
    const keyed = {
      ...context,
      idempotencyKey: 'fund-1',
      keySeed: 'a1d9886c387097ffb6dcf6c9e261e998a4558e6da9936dcf54ff93545d7e6a0b',
      causationId: 'evt-0',
    };
    const event = eventEnvelope({ EscrowFunded: 2 }, 'contract-c-1', 3, funded, keyed);
    expect(event.id).toBe('c6e739b4-8545-8f5c-af5b-dd4a532bc9d4');
    expect(event.metadata).toMatchObject({ idempotencyKey: 'fund-1', requestHash: 'hash-1', causationId: 'evt-0' });
  });
});
