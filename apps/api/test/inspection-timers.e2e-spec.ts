import { TestService } from './harness';
import { contractBetween, TestContract, uniqueId, walletOf } from './wallets.fixtures';

interface HistoryEntry {
  eventId: string;
  type: string;
  actor: { id: string; role: string };
  idempotencyKey?: string;
  position: number;
}

const FILE = { uri: 'https://files.example.com/part.zip' };
const support = { id: 'support-inspections', role: 'support' } as const;
const DELIVERED_AT = '2027-04-01T00:00:00.000Z';
const FOURTEEN_DAYS_MS = 14 * 86_400_000;

const milestonePath = (contract: TestContract, i = 0) => `/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[i]}`;

const historyOf = async (service: TestService, contract: TestContract) =>
  (await service.get(`/v1/contracts/${contract.contractId}/history`).expect(200)).body.events as HistoryEntry[];

/** Polls the contract's history until it holds an event of `type` (or the time is up, then answers what it holds). */
async function historyReaching(service: TestService, contract: TestContract, type: string, timeoutMs = 5_000): Promise<HistoryEntry[]> {
  const started = performance.now();
  for (;;) {
    const history = await historyOf(service, contract);
    if (history.some((event) => event.type === type) || performance.now() - started > timeoutMs) return history;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('automatic inspection of silent deliveries, AUTO_INSPECTION_AFTER=P14D', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ env: { AUTO_INSPECTION_AFTER: 'P14D', SETTLEMENT_POLICY: 'immediate' }, clock: DELIVERED_AT });
  });
  afterAll(() => service.stop());

  it('lists the delivery in the schedule, inspects it 14 days on as the service itself, and the payout follows without a /payout', async () => {
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000]);
    await service.post(`${milestonePath(contract)}/deliver`, contract.worker, { deliverables: [FILE] }).expect(200);
    const delivery = (await historyOf(service, contract)).find((event) => event.type === 'MilestoneDelivered')!;
    const timerId = `inspect:${contract.contractId}:${contract.milestoneIds[0]}:${delivery.eventId}`;

    const listed = (await service.get(`/v1/schedule?kind=inspection&minPosition=${delivery.position}`, support).expect(200)).body;
    // The harness clock runs on from where it was set: the delivery was made a few milliseconds after it.
    const deliveredAt = listed.data[0].subject.deliveredAt as string;
    expect(Date.parse(deliveredAt) - Date.parse(DELIVERED_AT)).toBeLessThan(60_000);
    const inspectAt = new Date(Date.parse(deliveredAt) + FOURTEEN_DAYS_MS).toISOString();
    expect(listed).toEqual({
      data: [
        {
          timerId,
          kind: 'inspection',
          subject: { contractId: contract.contractId, milestoneId: contract.milestoneIds[0], deliveredAt },
          dueAt: deliveredAt,
          runsAt: inspectAt,
          createdPosition: delivery.position,
        },
      ],
      nextCursor: null,
    });

    service.clock.set(new Date(Date.parse(inspectAt) - 60_000));
    await quietFor(200);
    expect((await historyOf(service, contract)).map((event) => event.type)).not.toContain('MilestoneInspected');

    service.clock.set(inspectAt);
    const history = await historyReaching(service, contract, 'MilestonePaidOut');
    const inspected = history.find((event) => event.type === 'MilestoneInspected')!;
    expect(inspected).toMatchObject({ actor: { id: 'auto-inspection', role: 'system' }, idempotencyKey: timerId });
    const paid = history.find((event) => event.type === 'MilestonePaidOut')!;
    expect(paid).toMatchObject({ actor: { id: 'settlement', role: 'system' } });
    const body = (await service.get(`/v1/contracts/${contract.contractId}?minPosition=${paid.position}`).expect(200)).body;
    expect(body.status).toBe('completed');
    expect(body.milestones[0].payout).toMatchObject({ gross: 11_000, net: 8_580 });
    expect(await walletOf(service, workerId, paid.position)).toMatchObject({ available: 8_580 });
    expect((await service.get(`/v1/ledger/checks?minPosition=${paid.position}`).expect(200)).body).toMatchObject({ passed: true });
    const after = (await service.get(`/v1/schedule?kind=inspection&minPosition=${paid.position}`, support).expect(200)).body;
    expect(after).toEqual({ data: [], nextCursor: null });

    await quietFor(200);
    expect((await historyOf(service, contract)).filter((event) => event.type === 'MilestoneInspected')).toHaveLength(1);
  });

  it('leaves a delivery its client answered in time to the client', async () => {
    service.clock.set('2027-05-01T00:00:00.000Z');
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await service.post(`${milestonePath(contract)}/deliver`, contract.worker, { deliverables: [FILE] }).expect(200);
    await service.post(`${milestonePath(contract)}/request-revision`, contract.client, { reason: 'Fix the header' }).expect(200);
    service.clock.set('2027-05-20T00:00:00.000Z');
    await quietFor(300);
    const history = await historyOf(service, contract);
    expect(history.map((event) => event.type)).not.toContain('MilestoneInspected');
  });
});

describe('automatic inspection, AUTO_INSPECTION_AFTER=off (the default)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ env: { SETTLEMENT_POLICY: 'immediate' }, clock: DELIVERED_AT });
  });
  afterAll(() => service.stop());

  it('inspects nothing, however long the client is silent, and lists the delivery with no run time', async () => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await service.post(`${milestonePath(contract)}/deliver`, contract.worker, { deliverables: [FILE] }).expect(200);
    service.clock.set('2027-06-01T00:00:00.000Z');
    await quietFor(300);
    const history = await historyOf(service, contract);
    expect(history.map((event) => event.type)).not.toContain('MilestoneInspected');
    expect(history.map((event) => event.type)).not.toContain('MilestonePaidOut');
    const listed = (await service.get(`/v1/schedule?kind=inspection&minPosition=${history.at(-1)!.position}`, support).expect(200)).body;
    expect(listed.data).toEqual([
      expect.objectContaining({ kind: 'inspection', runsAt: null, subject: expect.objectContaining({ contractId: contract.contractId }) }),
    ]);
  });
});
