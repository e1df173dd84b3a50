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
const support = { id: 'support-terminations', role: 'support' } as const;
const REQUESTED_AT = '2027-04-01T00:00:00.000Z';

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

describe('unanswered termination requests, TERMINATION_AUTO_COMPLETE_AFTER=P7D', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ env: { TERMINATION_AUTO_COMPLETE_AFTER: 'P7D' }, clock: REQUESTED_AT });
  });
  afterAll(() => service.stop());

  it('are listed in the schedule, then complete 7 days on as the service itself: the open escrow back to the client, the books checked', async () => {
    const clientId = uniqueId('client');
    const contract = await contractBetween(service, clientId, uniqueId('worker'), [10_000, 20_000]);
    await service.post(`/v1/contracts/${contract.contractId}/milestones/${contract.milestoneIds[0]}/deliver`, contract.worker, { deliverables: [FILE] }).expect(200);
    await service.post(`/v1/contracts/${contract.contractId}/termination`, contract.client, { reason: 'Budget cut' }).expect(200);
    const requested = (await historyOf(service, contract)).find((event) => event.type === 'TerminationRequested')!;
    const timerId = `terminate:${contract.contractId}:${requested.eventId}`;

    const listed = (await service.get(`/v1/schedule?kind=termination&minPosition=${requested.position}`, support).expect(200)).body;
    // The harness clock runs on from where it was set: the request was made a few milliseconds after it.
    const requestedAt = listed.data[0].subject.requestedAt as string;
    expect(Date.parse(requestedAt) - Date.parse(REQUESTED_AT)).toBeLessThan(60_000);
    const answerBy = new Date(Date.parse(requestedAt) + 7 * 86_400_000).toISOString();
    expect(listed).toEqual({
      data: [
        {
          timerId,
          kind: 'termination',
          subject: { contractId: contract.contractId, requestedAt },
          dueAt: requestedAt,
          runsAt: answerBy,
          createdPosition: requested.position,
        },
      ],
      nextCursor: null,
    });

    service.clock.set(new Date(Date.parse(answerBy) - 60_000));
    await quietFor(200);
    expect((await historyOf(service, contract)).map((event) => event.type)).not.toContain('ContractTerminated');

    service.clock.set(answerBy);
    const history = await historyReaching(service, contract, 'ContractTerminated');
    const terminated = history.find((event) => event.type === 'ContractTerminated')!;
    expect(terminated).toMatchObject({ actor: { id: 'termination', role: 'system' }, idempotencyKey: timerId });
    const body = (await service.get(`/v1/contracts/${contract.contractId}?minPosition=${terminated.position}`).expect(200)).body;
    expect(body.status).toBe('terminated');
    const refunds = history.filter((event) => event.type === 'EscrowRefunded');
    expect(refunds).toHaveLength(2);
    expect(history.filter((event) => event.type === 'MilestonePaidOut')).toEqual([]);
    const total = contract.grosses[0] + contract.grosses[1];
    expect(await walletOf(service, clientId, terminated.position)).toMatchObject({ available: total });

    const checks = (await service.get(`/v1/ledger/checks?minPosition=${terminated.position}`).expect(200)).body;
    expect(checks).toMatchObject({ passed: true });
    const after = (await service.get(`/v1/schedule?kind=termination&minPosition=${terminated.position}`, support).expect(200)).body;
    expect(after).toEqual({ data: [], nextCursor: null });

    await quietFor(200);
    expect((await historyOf(service, contract)).filter((event) => event.type === 'ContractTerminated')).toHaveLength(1);
  });

  it('leave a request answered in time alone', async () => {
    service.clock.set('2027-05-01T00:00:00.000Z');
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await service.post(`/v1/contracts/${contract.contractId}/termination`, contract.worker, { reason: 'Ill' }).expect(200);
    await service.post(`/v1/contracts/${contract.contractId}/termination/reject`, contract.client, {}).expect(200);
    service.clock.set('2027-05-20T00:00:00.000Z');
    await quietFor(300);
    const history = await historyOf(service, contract);
    expect(history.map((event) => event.type)).not.toContain('ContractTerminated');
    expect((await service.get(`/v1/contracts/${contract.contractId}`).expect(200)).body.status).toBe('active');
  });
});

describe('unanswered termination requests, TERMINATION_AUTO_COMPLETE_AFTER=off (the harness default)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({ clock: REQUESTED_AT });
  });
  afterAll(() => service.stop());

  it('stay open, listed with no run time', async () => {
    const contract = await contractBetween(service, uniqueId('client'), uniqueId('worker'), [10_000]);
    await service.post(`/v1/contracts/${contract.contractId}/termination`, contract.client, { reason: 'Budget cut' }).expect(200);
    service.clock.set('2027-06-01T00:00:00.000Z');
    await quietFor(300);
    const history = await historyOf(service, contract);
    expect(history.map((event) => event.type)).not.toContain('ContractTerminated');
    const listed = (await service.get(`/v1/schedule?kind=termination&minPosition=${history.at(-1)!.position}`, support).expect(200)).body;
    expect(listed.data).toEqual([expect.objectContaining({ kind: 'termination', runsAt: null, subject: expect.objectContaining({ contractId: contract.contractId }) })]);
  });
});
