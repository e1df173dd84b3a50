import { createHash } from 'node:crypto';
import { contractStreamId } from '@escrow/domain/contract';
import { DerivedIds, deterministicEventId, uuidFromHex } from '../src/commands/envelope';
import { ProjectionRuntime } from '../src/projections/projection-runtime';
import { client, settlement, TestService } from './harness';
import { contractBetween, payOut, readyToWithdraw, uniqueId, user, walletOf, withdraw } from './wallets.fixtures';

const FILE = [{ uri: 'https://files.example.com/work.zip' }];

describe('idempotency keys belong to their caller', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  const offer = (clientId: string) => ({ clientId, workerId: uniqueId('worker'), title: 'Logo', milestones: [{ title: 'Logo', amount: 10_000, dueDate: '2026-12-31' }] });

  it('lets no caller block another: a key first used by someone else, even on a refused request, is still the victim’s own', async () => {
    const attacker = user(uniqueId('attacker'));
    const victim = user(uniqueId('victim'));
    await service.post('/v1/contracts/no-such-contract/withdraw', attacker, {}, { 'Idempotency-Key': 'offer-2026-001' }).expect(404);
    await service.post('/v1/contracts', attacker, offer(attacker.id), { 'Idempotency-Key': 'offer-2026-002' }).expect(201);
    await service.post('/v1/contracts', victim, offer(victim.id), { 'Idempotency-Key': 'offer-2026-001' }).expect(201);
    const second = await service.post('/v1/contracts', victim, offer(victim.id), { 'Idempotency-Key': 'offer-2026-002' }).expect(201);
    // The victim's retry is recognised as the victim's, never answered with the attacker's contract.
    const retry = await service.post('/v1/contracts', victim, { ...offer(victim.id), workerId: second.body.workerId }, { 'Idempotency-Key': 'offer-2026-002' }).expect(201);
    expect(retry.body.contractId).toBe(second.body.contractId);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('derives ids nobody can compute from the key alone', async () => {
    const res = await service.post('/v1/contracts', client, offer(client.id), { 'Idempotency-Key': 'predictable-key' }).expect(201);
    const bareHash = uuidFromHex(createHash('sha256').update(`${client.id}\u0000predictable-key\u0000contract`).digest('hex'));
    expect(res.body.contractId).not.toBe(bareHash);
    const feed = await service.get(`/v1/audit/events?after=${res.body.position - 1}&limit=1`).expect(200);
    const bareEventId = uuidFromHex(createHash('sha256').update(`predictable-key\u0000contract-${res.body.contractId}\u00000`).digest('hex'));
    expect(feed.body.data[0].id).not.toBe(bareEventId);
  });

  it('answers a retried refusal the same way within the retention, and decides it afresh after it', async () => {
    const worker = user(uniqueId('worker'));
    const contract = await contractBetween(service, uniqueId('client'), worker.id, [10_000], { fund: false });
    const path = `/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[0]}/deliver`;
    const refused = await service.post(path, contract.worker, { deliverables: FILE }, { 'Idempotency-Key': 'deliver-1' }).expect(409);
    await service.post(`/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[0]}/prepay`, contract.client, { paymentReference: uniqueId('pay'), method: 'card' }).expect(200);
    const within = await service.post(path, contract.worker, { deliverables: FILE }, { 'Idempotency-Key': 'deliver-1' }).expect(409);
    expect(within.body.code).toBe(refused.body.code);
    // Past the 48 hours a recorded answer is kept, the key decides afresh.
    service.clock.advance('PT49H');
    await service.post(path, contract.worker, { deliverables: FILE }, { 'Idempotency-Key': 'deliver-1' }).expect(200);
  });
});

describe('a user cannot stop wallet credits by planting the credit process’s keys', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('credits every payout even when the worker’s own withdrawals carry the keys the credit process uses', async () => {
    const workerId = uniqueId('worker');
    const first = await contractBetween(service, uniqueId('client'), workerId, [10_000]);
    const { position } = await payOut(service, first);
    expect((await walletOf(service, workerId, position)).available).toBe(8_580);
    const bankAccountId = await readyToWithdraw(service, workerId);

    // Even a worker who knew the secret the ids are derived with, and so every payout event's id before it
    // happens, plants `wallet-credit:<id>` on their own wallet stream first: the credit process's keys live in a
    // namespace no caller can write, so every credit is still made.
    const second = await contractBetween(service, uniqueId('client'), workerId, [10_000, 20_000, 30_000]);
    for (const i of [0, 1, 2]) {
      const path = `/v1/contracts/${second.contractId}/milestones/${second.milestoneIds[i]}`;
      await service.post(`${path}/deliver`, second.worker, { deliverables: FILE }).expect(200);
      await service.post(`${path}/inspect`, second.client).expect(200);
    }
    const revision = (await service.get(`/v1/contracts/${second.contractId}`).expect(200)).body.revision as number;
    const ids = service.app.get(DerivedIds);
    const predicted = [0, 1, 2].map((i) =>
      deterministicEventId(ids.seedOf('development', settlement, `payout-${i}`), contractStreamId(second.contractId), revision + 1 + i),
    );
    for (const [i, id] of predicted.entries()) {
      await withdraw(service, workerId, bankAccountId, 1_000 + i, 'standard', { 'Idempotency-Key': `wallet-credit:${id}` }).expect(201);
    }
    for (const i of [0, 1, 2]) {
      const path = `/v1/contracts/${second.contractId}/milestones/${second.milestoneIds[i]}/payout`;
      await service.post(path, settlement, {}, { 'Idempotency-Key': `payout-${i}` }).expect(200);
    }
    const feed = await service.get('/v1/audit/events?after=0&limit=1000').expect(200);
    const payouts = (feed.body.data as { id: string; type: string; streamId: string }[]).filter(
      (event) => event.type === 'MilestonePaidOut' && event.streamId === contractStreamId(second.contractId),
    );
    expect(payouts.map((event) => event.id)).toEqual(predicted);

    const head = (await service.get('/v1/audit/events?after=0&limit=1')).body.headPosition as number;
    const wallet = await walletOf(service, workerId, head);
    const nets = [8_580, 17_160, 25_740];
    expect(wallet.totalCredited).toBe(8_580 + nets.reduce((a, b) => a + b, 0));
    expect(wallet.lots.map((lot) => lot.sourceKind)).toEqual(['payout', 'payout', 'payout', 'payout']);
    const credits = service.app.get(ProjectionRuntime).reactorStatus();
    expect(credits.every((reactor) => reactor.failures === 0)).toBe(true);
  });
});
