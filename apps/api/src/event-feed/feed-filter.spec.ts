import type { RecordedEvent } from '@escrow/event-store/port';
import { categoryOf, FEED_CATEGORIES, FEED_EVENT_TYPES, matchesFilter, parseFeedRequest } from './feed-filter';

const event = (streamId: string, type: string): RecordedEvent => ({
  id: 'e',
  type,
  streamId,
  revision: 0,
  position: 1,
  recordedAt: '2026-01-01T00:00:00.000Z',
  data: {},
  metadata: {
    schemaVersion: 1,
    occurredAt: '2026-01-01T00:00:00.000Z',
    actor: { id: 'a', role: 'system' },
    correlationId: 'c',
    causationId: 'c',
  },
});

describe('the event feed filter', () => {
  it('knows the categories of the service’s streams and every event type it records', () => {
    expect(FEED_CATEGORIES).toEqual(
      expect.arrayContaining([
        'account',
        'bank-account-holders',
        'contract',
        'index-backfill',
        'party-contracts',
        'payment-reference',
        'wallet',
        'withdrawal-address',
      ]),
    );
    expect(FEED_EVENT_TYPES).toEqual(expect.arrayContaining(['ContractOffered', 'EscrowFunded', 'MilestonePaidOut', 'WalletCredited']));
  });

  it.each([
    ['contract-123', 'contract'],
    ['wallet-worker-1', 'wallet'],
    ['payment-reference-abc', 'payment-reference'],
    ['index-backfill', 'index-backfill'],
    ['contractual-1', undefined],
    ['feed-test-1', undefined],
  ])('reads the category of stream %s as %s', (streamId, category) => {
    expect(categoryOf(streamId)).toBe(category);
  });

  it('keeps an event when it is of a listed type and a listed category', () => {
    const parsed = parseFeedRequest({ category: 'contract,wallet', type: ['MilestonePaidOut', 'WalletCredited'] });
    const filter = parsed.request!.filter;
    expect(matchesFilter(filter, event('contract-1', 'MilestonePaidOut'))).toBe(true);
    expect(matchesFilter(filter, event('wallet-w', 'WalletCredited'))).toBe(true);
    expect(matchesFilter(filter, event('contract-1', 'EscrowFunded'))).toBe(false);
    expect(matchesFilter(filter, event('account-w', 'MilestonePaidOut'))).toBe(false);
    expect(matchesFilter(filter, event('feed-test-1', 'MilestonePaidOut'))).toBe(false);
  });

  it('keeps every event, of any stream, when nothing is listed', () => {
    const { request } = parseFeedRequest({});
    expect(request).toEqual({ filter: { categories: undefined, types: undefined }, after: 0, until: undefined });
    expect(matchesFilter(request!.filter, event('feed-test-1', 'SomethingElse'))).toBe(true);
  });

  it('resumes after Last-Event-ID rather than after', () => {
    expect(parseFeedRequest({ after: '3', lastEventId: '10' }).request?.after).toBe(10);
    expect(parseFeedRequest({ after: '3' }).request?.after).toBe(3);
    expect(parseFeedRequest({ until: '12' }).request?.until).toBe(12);
  });

  it('lists every problem at once, by parameter and rule', () => {
    expect(
      parseFeedRequest({ after: 'x', lastEventId: '-1', until: '1.5', category: 'hasOwnProperty', type: ['EscrowFunded', { a: 1 }] })
        .errors,
    ).toEqual([
      expect.objectContaining({ field: 'after', rule: 'isInt' }),
      expect.objectContaining({ field: 'Last-Event-ID', rule: 'isInt' }),
      expect.objectContaining({ field: 'until', rule: 'isInt' }),
      expect.objectContaining({ field: 'category', rule: 'isIn' }),
      expect.objectContaining({ field: 'type', rule: 'isString' }),
    ]);
  });

  it('does not echo more than a bounded part of an unknown value', () => {
    const [error] = parseFeedRequest({ type: 'Z'.repeat(2000) }).errors;
    expect(error.message.length).toBeLessThan(200);
  });
});
