import type { CommitObserver, EventStore } from '@escrow/event-store/port';
import type { ProjectionRuntime } from '../projections/projection-runtime';
import { Metrics } from './metrics';

function metricsOver(head = 120) {
  let commits: CommitObserver | undefined;
  const store = { headPosition: async () => head, observeCommits: (observer: CommitObserver) => (commits = observer) } as unknown as EventStore;
  const runtime = {
    status: async () => [{ name: 'ledger', version: 1, position: 100, headPosition: head, lag: head - 100, updatedAt: null }],
    reactorStatus: () => [{ name: 'wallet-credits', position: 118, failures: 0, lastError: null, parked: 2, updatedAt: '2026-11-30T00:00:00.000Z', running: true }],
  } as unknown as ProjectionRuntime;
  const metrics = new Metrics(store, runtime);
  metrics.onModuleInit();
  return { metrics, commit: (report: Parameters<CommitObserver>[0]) => commits!(report) };
}

const valueOf = async (metrics: Metrics, name: string, labels: Record<string, string> = {}) => {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  return metric.values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label) && Object.keys(value.labels).length >= Object.keys(labels).length)?.value;
};
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Metrics', () => {
  it('counts commands by aggregate, type and outcome, refusals and failures by class', async () => {
    const { metrics } = metricsOver();
    metrics.observe('contract', { type: 'FundMilestone' }, Promise.resolve({ kind: 'appended' }));
    metrics.observe('contract', { type: 'FundMilestone' }, Promise.resolve({ kind: 'replayed' }));
    metrics.observe('contract', { type: 'FundMilestone' }, Promise.reject(Object.assign(new Error('stale'), { code: 'IDEMPOTENCY_KEY_REUSED' })));
    metrics.observe('wallet', { type: 'CreditWallet' }, Promise.reject(new Error('disk on fire')));
    await settle();
    expect(await valueOf(metrics, 'escrow_commands_total', { aggregate: 'contract', type: 'FundMilestone', outcome: 'appended' })).toBe(1);
    expect(await valueOf(metrics, 'escrow_commands_total', { aggregate: 'contract', type: 'FundMilestone', outcome: 'replayed' })).toBe(1);
    expect(await valueOf(metrics, 'escrow_commands_total', { aggregate: 'contract', type: 'FundMilestone', outcome: 'refused_4xx' })).toBe(1);
    expect(await valueOf(metrics, 'escrow_commands_total', { aggregate: 'wallet', type: 'CreditWallet', outcome: 'failed_5xx' })).toBe(1);
  });

  it('bounds the command types it labels', async () => {
    const { metrics } = metricsOver();
    for (let i = 0; i < 205; i++) metrics.observe('contract', { type: `Command${i}` }, Promise.resolve({ kind: 'unchanged' }));
    await settle();
    const types = new Set((await metrics.registry.getSingleMetric('escrow_commands_total')!.get()).values.map((value) => value.labels.type));
    expect(types.size).toBe(201);
    expect(types.has('other')).toBe(true);
  });

  it('labels requests by route pattern and known method only, and counts replayed answers', async () => {
    const { metrics } = metricsOver();
    metrics.requestAnswered({ method: 'POST', route: '/v1/contracts', status: 201, seconds: 0.01, replayed: true });
    metrics.requestAnswered({ method: 'BREW', route: undefined, status: 404, seconds: 0.001, replayed: false });
    const { text } = await metrics.exposition();
    expect(text).toContain('escrow_http_request_duration_seconds_count{method="POST",route="/v1/contracts",status="201"} 1');
    expect(text).toContain('escrow_http_request_duration_seconds_count{method="OTHER",route="unmatched",status="404"} 1');
    expect(text).toContain('escrow_idempotent_replays_total{route="/v1/contracts"} 1');
  });

  it('records group commits, and reads positions, lag and parked events when scraped', async () => {
    const { metrics, commit } = metricsOver(120);
    commit({ appends: 3, events: 5, durationMs: 2, committed: true });
    commit({ appends: 2, events: 2, durationMs: 1, committed: false });
    metrics.setSseReaders(4);
    const { text } = await metrics.exposition();
    expect(text).toContain('escrow_store_commit_batch_appends_sum 3');
    expect(text).toContain('escrow_store_commit_batch_events_sum 5');
    expect(text).toContain('escrow_store_commit_duration_seconds_count 1');
    expect(text).toContain('escrow_store_commit_failures_total 1');
    expect(text).toContain('escrow_store_head_position 120');
    expect(text).toContain('escrow_processor_position{processor="ledger",kind="projection"} 100');
    expect(text).toContain('escrow_processor_lag_events{processor="ledger",kind="projection"} 20');
    expect(text).toContain('escrow_processor_lag_events{processor="wallet-credits",kind="reactor"} 2');
    expect(text).toContain('escrow_parked_events{reactor="wallet-credits"} 2');
    expect(text).toContain('escrow_sse_readers 4');
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
