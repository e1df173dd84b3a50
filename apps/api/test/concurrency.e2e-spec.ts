import { client, fundedContract, settlement, support, TestService, worker } from './harness';

describe('concurrent commands on one contract (embedded SQLite store)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('lets exactly one of ten racing payouts and refunds release the escrow', async () => {
    const { contractId, milestones } = await fundedContract(service, [{ title: 'Only', amount: 10000, dueDate: '2026-12-31' }]);
    const m = milestones[0].milestoneId;
    await service.post(`/v1/contracts/${contractId}/milestones/${m}/deliver`, worker, { deliverables: [] }).expect(200);
    await service.post(`/v1/contracts/${contractId}/milestones/${m}/inspect`, client).expect(200);

    const racers = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? service.post(`/v1/contracts/${contractId}/milestones/${m}/payout`, settlement, {}, { 'If-Match': '4' })
        : service.post(`/v1/contracts/${contractId}/milestones/${m}/refund`, support, { reason: 'dispute' }, { 'If-Match': '4' }),
    );
    const results = await Promise.all(racers);
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(9);

    const state = (await service.get(`/v1/contracts/${contractId}`).expect(200)).body;
    const history = (await service.get(`/v1/contracts/${contractId}/history`).expect(200)).body;
    const appendedByRace = history.events.filter((e: { revision: number }) => e.revision > 4);
    expect(new Set(appendedByRace.map((e: { causationId: string }) => e.causationId)).size).toBe(1);
    expect(state.totals.paidOut + state.totals.refunded).toBe(11000);
    expect(state.totals.escrow).toBe(0);
  });

  it('without If-Match re-decides on fresh state: one payout wins, the rest are refused by the domain', async () => {
    const { contractId, milestones } = await fundedContract(service, [{ title: 'Only', amount: 10000, dueDate: '2026-12-31' }]);
    const m = milestones[0].milestoneId;
    await service.post(`/v1/contracts/${contractId}/milestones/${m}/deliver`, worker, { deliverables: [] }).expect(200);
    await service.post(`/v1/contracts/${contractId}/milestones/${m}/inspect`, client).expect(200);

    const results = await Promise.all(Array.from({ length: 10 }, () => service.post(`/v1/contracts/${contractId}/milestones/${m}/payout`, settlement)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(9).fill('MILESTONE_ALREADY_PAID_OUT'));
    const history = (await service.get(`/v1/contracts/${contractId}/history`).expect(200)).body;
    expect(history.events.filter((e: { type: string }) => e.type === 'MilestonePaidOut')).toHaveLength(1);
  });
});
