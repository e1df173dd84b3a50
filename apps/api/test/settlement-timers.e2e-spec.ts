import { TestService } from './harness';
import { contractBetween, settlement, TestContract, uniqueId, walletOf } from './wallets.fixtures';

const FILE = { uri: 'https://files.example.com/part.zip' };

interface MilestoneBody {
  milestoneId: string;
  status: string;
  payout?: { gross: number; net: number };
}
interface ContractBody {
  status: string;
  position: number;
  milestones: MilestoneBody[];
}
interface HistoryEntry {
  type: string;
  actor: { id: string; role: string };
  idempotencyKey?: string;
  position: number;
}

const milestonePath = (contract: TestContract, i = 0) => `/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[i]}`;

async function deliverAndInspect(service: TestService, contract: TestContract, i = 0): Promise<void> {
  await service.post(`${milestonePath(contract, i)}/deliver`, contract.worker, { deliverables: [FILE] }).expect(200);
  await service.post(`${milestonePath(contract, i)}/inspect`, contract.client).expect(200);
}

const historyOf = async (service: TestService, contract: TestContract) =>
  (await service.get(`/v1/contracts/${contract.contractId}/history`).expect(200)).body.events as HistoryEntry[];

const payoutsOf = async (service: TestService, contract: TestContract) => (await historyOf(service, contract)).filter((event) => event.type === 'MilestonePaidOut');

/** Polls the contract's history until it holds `count` payouts (or the time is up, then answers what it holds). */
async function payoutsReaching(service: TestService, contract: TestContract, count: number, timeoutMs = 5_000): Promise<HistoryEntry[]> {
  const started = performance.now();
  for (;;) {
    const payouts = await payoutsOf(service, contract);
    if (payouts.length >= count || performance.now() - started > timeoutMs) return payouts;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits a while to let a scheduler that should do nothing show that it does nothing. */
const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('automatic settlement, SETTLEMENT_POLICY=immediate', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ env: { SETTLEMENT_POLICY: 'immediate' } });
  });
  afterAll(() => service.stop());

  it('pays an inspected milestone without a /payout, as the service itself, once, and credits the worker', async () => {
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000]);
    await deliverAndInspect(service, contract);

    const payouts = await payoutsReaching(service, contract, 1);
    expect(payouts).toHaveLength(1);
    expect(payouts[0]).toMatchObject({ actor: { id: 'settlement', role: 'system' }, idempotencyKey: `settle:${contract.contractId}:${contract.milestoneIds[0]}` });
    const contractNow = (await service.get(`/v1/contracts/${contract.contractId}`).expect(200)).body as ContractBody;
    expect(contractNow.status).toBe('completed');
    expect(contractNow.milestones[0].payout).toMatchObject({ gross: 11_000, net: 8_580 });
    expect(await walletOf(service, workerId, payouts[0].position)).toMatchObject({ available: 8_580 });

    await quietFor(200);
    expect(await payoutsOf(service, contract)).toHaveLength(1);
  });

  it('answers a manual /payout after it as today: 409 MILESTONE_ALREADY_PAID_OUT', async () => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await deliverAndInspect(service, contract);
    expect(await payoutsReaching(service, contract, 1)).toHaveLength(1);

    const manual = await service.post(`${milestonePath(contract)}/payout`, settlement).expect(409);
    expect(manual.body).toMatchObject({ code: 'MILESTONE_ALREADY_PAID_OUT' });
  });

  it('pays each milestone of a contract once, the last completing it, and the books balance', async () => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000, 20_000]);
    await deliverAndInspect(service, contract, 0);
    await deliverAndInspect(service, contract, 1);

    const payouts = await payoutsReaching(service, contract, 2);
    expect(payouts.map((event) => event.idempotencyKey)).toEqual(contract.milestoneIds.map((milestoneId) => `settle:${contract.contractId}:${milestoneId}`));
    const trial = (await service.get(`/v1/ledger/trial-balance?minPosition=${payouts[1].position}`).expect(200)).body;
    expect(trial).toMatchObject({ balanced: true });
  });
});

describe('automatic settlement, SETTLEMENT_POLICY=daily at 17:00 Japan time', () => {
  let service: TestService;
  beforeAll(async () => {
    // 10:00 in Japan.
    service = await TestService.start({ env: { SETTLEMENT_POLICY: 'daily', SETTLEMENT_DAILY_AT: '17:00' }, clock: '2027-02-01T01:00:00.000Z' });
  });
  afterAll(() => service.stop());

  it('holds inspected milestones until the day\'s batch, then pays them together; one inspected later waits for the next day', async () => {
    const early = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await deliverAndInspect(service, early);
    service.clock.set('2027-02-01T07:00:00.000Z'); // 16:00
    const late = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await deliverAndInspect(service, late);
    await quietFor(200);
    expect(await payoutsOf(service, early)).toEqual([]);
    expect(await payoutsOf(service, late)).toEqual([]);

    service.clock.set('2027-02-01T08:00:00.000Z'); // 17:00
    expect(await payoutsReaching(service, early, 1)).toHaveLength(1);
    expect(await payoutsReaching(service, late, 1)).toHaveLength(1);

    service.clock.set('2027-02-01T09:00:00.000Z'); // 18:00: after the batch
    const evening = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await deliverAndInspect(service, evening);
    await quietFor(200);
    expect(await payoutsOf(service, evening)).toEqual([]);
    service.clock.set('2027-02-02T08:00:00.000Z');
    expect(await payoutsReaching(service, evening, 1)).toHaveLength(1);
  });
});

describe('SETTLEMENT_POLICY=manual, as before', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ env: { SETTLEMENT_POLICY: 'manual' } });
  });
  afterAll(() => service.stop());

  it('leaves an inspected milestone unpaid until a settlement caller posts /payout, however long', async () => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await deliverAndInspect(service, contract);
    service.clock.advance('P30D');
    await quietFor(200);
    expect(await payoutsOf(service, contract)).toEqual([]);

    const paid = (await service.post(`${milestonePath(contract)}/payout`, settlement).expect(200)).body as ContractBody;
    expect(paid.milestones[0].payout).toMatchObject({ net: 8_580 });
  });
});

describe('a restart with settlements due', () => {
  it('pays on start what fell due while the service was down, once', async () => {
    const service = await TestService.start({ env: { SETTLEMENT_POLICY: 'manual' } });
    try {
      const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000, 20_000]);
      await deliverAndInspect(service, contract, 0);
      await deliverAndInspect(service, contract, 1);
      await quietFor(100);
      expect(await payoutsOf(service, contract)).toEqual([]);

      await service.restart({ SETTLEMENT_POLICY: 'immediate' });
      expect(await payoutsReaching(service, contract, 2)).toHaveLength(2);
      await service.restart({ SETTLEMENT_POLICY: 'immediate' });
      await quietFor(200);
      expect(await payoutsOf(service, contract)).toHaveLength(2);
    } finally {
      await service.stop();
    }
  });
});

describe('GET /v1/schedule', () => {
  let service: TestService;
  const support = { id: 'support-schedule', role: 'support' } as const;
  beforeAll(async () => {
    service = await TestService.start({ env: { SETTLEMENT_POLICY: 'daily', SETTLEMENT_DAILY_AT: '17:00' }, clock: '2027-03-01T01:00:00.000Z' });
  });
  afterAll(() => service.stop());

  it('lists the pending settlements in due order with when the daily batch makes them, a page at a time, and drops them once paid', async () => {
    const first = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await deliverAndInspect(service, first);
    service.clock.advance('PT1H');
    const second = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await deliverAndInspect(service, second);
    const position = (await historyOf(service, second)).at(-1)!.position;

    const listed = (await service.get(`/v1/schedule?kind=settlement&limit=1&minPosition=${position}`, support).expect(200)).body;
    expect(listed.data).toEqual([
      expect.objectContaining({ timerId: `settle:${first.contractId}:${first.milestoneIds[0]}`, kind: 'settlement', runsAt: '2027-03-01T08:00:00.000Z', subject: { contractId: first.contractId, milestoneId: first.milestoneIds[0] } }),
    ]);
    expect(listed.nextCursor).not.toBeNull();
    const next = (await service.get(`/v1/schedule?kind=settlement&limit=1&cursor=${listed.nextCursor}`, support).expect(200)).body;
    expect(next.data).toEqual([expect.objectContaining({ timerId: `settle:${second.contractId}:${second.milestoneIds[0]}`, runsAt: '2027-03-01T08:00:00.000Z' })]);
    expect(next.nextCursor).toBeNull();

    service.clock.set('2027-03-01T08:00:00.000Z');
    expect(await payoutsReaching(service, second, 1)).toHaveLength(1);
    const paidPosition = (await historyOf(service, second)).at(-1)!.position;
    const after = (await service.get(`/v1/schedule?kind=settlement&minPosition=${paidPosition}`, support).expect(200)).body;
    expect(after).toEqual({ data: [], nextCursor: null });
    // The workers' credits now carry their expiry and its notices; the harness expires balances by hand, so none runs by itself.
    const expiries = (await service.get(`/v1/schedule?kind=expiry`, support).expect(200)).body;
    const listedExpiries = expiries.data as { kind: string; runsAt: string | null; subject: { accountId: string } }[];
    expect(listedExpiries.map((timer) => timer.subject.accountId).sort()).toEqual([first.worker.id, second.worker.id].sort());
    expect(listedExpiries.every((timer) => timer.kind === 'expiry' && timer.runsAt === null)).toBe(true);
    const notices = (await service.get(`/v1/schedule?kind=expiry_notice`, support).expect(200)).body;
    expect(notices.data.map((timer: { subject: { daysBefore: number } }) => timer.subject.daysBefore).sort()).toEqual([30, 30, 7, 7]);
  });

  it('is refused to an auditor and to users, and refuses a kind it does not know', async () => {
    await service.get('/v1/schedule', { id: 'auditor-1', role: 'auditor' }).expect(403);
    await service.get('/v1/schedule', { id: 'someone', role: 'user' }).expect(403);
    const refused = (await service.get('/v1/schedule?kind=payout_run', support).expect(400)).body;
    expect(JSON.stringify(refused)).toContain('kind');
  });
});
