import type { IntegrityCheck } from '../audit/notary/notary-database';
import type { NotaryStatus } from '../audit/notary/notary-processor';
import { notaryHealth } from './notary-health';

const running = (overrides: Partial<NotaryStatus> = {}): NotaryStatus => ({
  treeSize: 120,
  lastPosition: 120,
  headTreeSize: 100,
  headTimestamp: '2026-11-30T12:00:00.000Z',
  failures: 0,
  failingSince: undefined,
  lastError: undefined,
  haltedBecause: undefined,
  ...overrides,
});

const intactCheck: IntegrityCheck = {
  checkedAt: '2026-11-30T12:00:00.000Z',
  origin: 'service',
  treeSize: 120,
  recent: { fromPosition: 1, toPosition: 120, count: 120 },
  sampledCount: 0,
  headTreeSize: 100,
  mismatchingPositions: [],
  treeMismatchingPositions: [],
  problems: [],
};

describe('notaryHealth', () => {
  it('is up with the tree figures while notarising succeeds and the log is intact', () => {
    expect(notaryHealth({ lastCheck: intactCheck, tamperedRebuild: undefined }, running())).toEqual({
      up: true,
      figures: { treeSize: 120, lastPosition: 120, headTreeSize: 100, failures: 0, lastCheckAt: intactCheck.checkedAt },
    });
  });

  it('is down while notarising fails, saying since when, how many times in a row and the last error', () => {
    const status = running({ failures: 4, failingSince: '2026-11-30T12:01:00.000Z', lastError: 'database or disk is full' });
    const health = notaryHealth({ lastCheck: intactCheck, tamperedRebuild: undefined }, status);
    expect(health.up).toBe(false);
    expect(health.figures).toMatchObject({ failures: 4, failingSince: '2026-11-30T12:01:00.000Z', lastError: 'database or disk is full' });
    expect(health.figures.message).toBe(
      'notarising the log has failed since 2026-11-30T12:01:00.000Z (4 in a row; full disk or I/O error?): retried with back-off, nothing is skipped',
    );
  });

  it('names both when notarising fails and the log was found changed', () => {
    const tampered = { ...intactCheck, mismatchingPositions: [7] };
    const health = notaryHealth({ lastCheck: tampered, tamperedRebuild: undefined }, running({ failures: 1, failingSince: '2026-11-30T12:01:00.000Z', lastError: 'disk I/O error' }));
    expect(health.up).toBe(false);
    expect(health.figures.message).toMatch(/^notarising the log has failed since .*; the log does not match what was notarised \(positions 7\).*"Tamper checks"$/);
  });

  it('is up with no figures of a running notary where none runs (ROLE=api)', () => {
    expect(notaryHealth({ lastCheck: undefined, tamperedRebuild: undefined }, undefined)).toEqual({ up: true, figures: { lastCheckAt: null } });
  });
});
