import Database from 'better-sqlite3';
import { readModelDatabaseFile } from '@escrow/projections/runtime/read-model-database';
import { createApp } from '../src/bootstrap';
import { TestService } from './harness';
import {
  clientWithRefund,
  contractBetween,
  payOut,
  refund,
  settlement,
  support,
  uniqueId,
  user,
  walletOf,
} from './wallets.fixtures';

interface FeedEvent {
  id: string;
  streamId: string;
  type: string;
  position: number;
  data: Record<string, unknown>;
  metadata: { actor: { id: string; role: string }; correlationId: string; causationId: string; idempotencyKey?: string };
}

async function allEvents(service: TestService): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  for (let path = '/v1/audit/events?limit=1000'; ; ) {
    const page = (await service.get(path).expect(200)).body as { data: FeedEvent[]; nextCursor: string | null };
    events.push(...page.data);
    if (page.nextCursor === null) return events;
    path = `/v1/audit/events?limit=1000&cursor=${page.nextCursor}`;
  }
}

const creditsOf = (events: FeedEvent[], accountId: string) => events.filter((e) => e.streamId === `wallet-${accountId}` && e.type === 'WalletCredited');

describe('wallet credits from payouts and refunds', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('credits the worker with the net of each payout, flagged and traced to the payout event', async () => {
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [45_455, 27_273]);
    const first = await payOut(service, contract, 0);
    const second = await payOut(service, contract, 1, []);
    expect([first.net, second.net]).toEqual([39_000, 23_400]);

    const wallet = await walletOf(service, workerId, second.position);
    expect(wallet).toMatchObject({ accountId: workerId, available: 62_400, pending: 0, totalCredited: 62_400, expiringWithin30Days: 0 });
    expect(wallet.position).toBeGreaterThan(second.position);
    // Paid within an hour of acceptance, so both are fastCompletion; only the second was delivered without files.
    expect(wallet.lots.map((lot) => [lot.sourceKind, lot.amount, lot.flags])).toEqual([
      ['payout', 39_000, { noDeliverable: false, fastCompletion: true }],
      ['payout', 23_400, { noDeliverable: true, fastCompletion: true }],
    ]);
    expect(Date.parse(wallet.nextExpiresAt!)).toBeGreaterThan(Date.now() + 179 * 86_400_000);
  });

  it('records each credit as the credit process: its actor, the source event as causation, the source correlation, a derived key', async () => {
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId);
    await service.post(`/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[0]}/deliver`, contract.worker, { deliverables: [{ uri: 'https://x.example/a' }] }).expect(200);
    await service.post(`/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[0]}/inspect`, contract.client).expect(200);
    const paid = await service
      .post(`/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[0]}/payout`, settlement, {}, { 'X-Correlation-Id': 'settlement-run-7' })
      .expect(200);
    await walletOf(service, workerId, paid.body.position);

    const events = await allEvents(service);
    const payout = events.find((e) => e.streamId === `contract-${contract.contractId}` && e.type === 'MilestonePaidOut')!;
    const [credit] = creditsOf(events, workerId);
    expect(credit.data).toMatchObject({
      accountId: workerId,
      amount: 8_580,
      source: { kind: 'payout', id: payout.id, contractId: contract.contractId, milestoneId: contract.milestoneIds[0] },
    });
    expect(credit.metadata).toMatchObject({
      actor: { id: 'wallet-credit', role: 'system' },
      correlationId: 'settlement-run-7',
      causationId: payout.id,
      idempotencyKey: `wallet-credit:${payout.id}`,
    });
  });

  it('credits the client with a refund, in part or in full, unflagged', async () => {
    const clientId = uniqueId('client');
    const contract = await contractBetween(service, clientId, uniqueId('worker'), [10_000]);
    const part = await refund(service, contract, 0, 4_000);
    const rest = await refund(service, contract, 0);
    const wallet = await walletOf(service, clientId, rest.position);
    expect(part.position).toBeLessThan(rest.position);
    expect(wallet.available).toBe(11_000);
    expect(wallet.lots.map((lot) => [lot.sourceKind, lot.amount, lot.flags])).toEqual([
      ['refund', 4_000, { noDeliverable: false, fastCompletion: false }],
      ['refund', 7_000, { noDeliverable: false, fastCompletion: false }],
    ]);
  });

  it('credits the client with what a termination refunds', async () => {
    const clientId = uniqueId('client');
    const contract = await contractBetween(service, clientId, uniqueId('worker'), [10_000, 20_000]);
    const terminated = await service.post(`/v1/contracts/${contract.contractId}/termination`, support, { reason: 'Worker unreachable' }).expect(200);
    expect((await walletOf(service, clientId, terminated.body.position)).available).toBe(33_000);
  });

  it('shows an empty wallet for an account with no money yet, and refuses a malformed minPosition', async () => {
    const accountId = uniqueId('nobody');
    expect(await walletOf(service, accountId)).toMatchObject({ accountId, available: 0, pending: 0, totalCredited: 0, lots: [], revision: -1, position: 0 });
    const bad = await service.get(`/v1/accounts/${accountId}/wallet?minPosition=soon`).expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'minPosition' }] });
  });

  it('credits once per source even when the credit process sees every event again after a restart', async () => {
    const workerId = uniqueId('worker');
    const client = await clientWithRefund(service, 20_000);
    const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000, 10_000]);
    const paid = await payOut(service, contract, 0);
    const before = await walletOf(service, workerId, paid.position);
    expect(before.available).toBe(8_580);

    // The process dies after its credits were appended but before its checkpoint moved: on restart it
    // starts again from the beginning of the log.
    await service.app.close();
    const db = new Database(readModelDatabaseFile(service.config.dataDir));
    const reset = db.prepare(`UPDATE projection_checkpoints SET position = 0 WHERE name = 'wallet-credits' AND position >= ?`).run(paid.position);
    expect(reset.changes).toBe(1);
    db.close();
    service.app = await createApp(service.config, { clock: service.clock });
    await service.app.init();
    await service.app.getHttpAdapter().getInstance().ready();

    // A payout made after the restart is credited too, once the replay has gone past the old ones.
    const later = await payOut(service, contract, 1);
    const after = await walletOf(service, workerId, later.position);
    expect(after.available).toBe(8_580 + later.net);
    expect(after.lots).toHaveLength(2);
    expect((await walletOf(service, client.accountId)).available).toBe(22_000);

    // The replay went over every payout and refund of this log, not only this test's.
    const events = await allEvents(service);
    const sources = events.filter((e) => e.type === 'WalletCredited').map((e) => (e.data.source as { id: string }).id);
    const moneyEvents = events.filter((e) => e.type === 'MilestonePaidOut' || e.type === 'EscrowRefunded');
    expect(sources.length).toBeGreaterThan(3);
    expect(new Set(sources).size).toBe(sources.length);
    expect(new Set(sources)).toEqual(new Set(moneyEvents.map((e) => e.id)));
    expect(creditsOf(events, workerId)).toHaveLength(2);
    expect(creditsOf(events, client.accountId)).toHaveLength(1);
  });

  it('expires nothing that is not due, appending nothing, and lets only the platform run the expiry', async () => {
    const { accountId, wallet } = await clientWithRefund(service, 5_000);
    const expired = await service.post(`/v1/accounts/${accountId}/wallet/expire`, { id: 'expiry-job', role: 'system' }, {}).expect(200);
    expect(expired.body).toMatchObject({ accountId, expiredNow: 0, available: 5_500, revision: wallet.revision });
    const refused = await service.post(`/v1/accounts/${accountId}/wallet/expire`, user(accountId), {}).expect(403);
    expect(refused.body.code).toBe('ACTOR_NOT_ALLOWED');
    const future = await service.post(`/v1/accounts/${accountId}/wallet/expire`, { id: 'expiry-job', role: 'system' }, { asOf: '2099-01-01T00:00:00Z' }).expect(400);
    expect(future.body.code).toBe('EXPIRY_AS_OF_IN_FUTURE');
  });
});
