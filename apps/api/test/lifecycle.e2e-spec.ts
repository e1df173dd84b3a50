import { client, offerContract, settlement, TestService, worker } from './harness';

describe('a fixed-price contract from offer to payout over HTTP', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('walks three milestones through revision and payout with the fees of the spec, and keeps every state across a restart', async () => {
    const offered = await offerContract(service);
    expect(offered.revision).toBe(0);
    expect(offered.milestones).toHaveLength(3);
    const id = offered.contractId;
    const [m1, m2, m3] = offered.milestones.map((m) => m.milestoneId);

    const accepted = await service.post(`/v1/contracts/${id}/accept`, worker).expect(200);
    expect(accepted.body.status).toBe('active');
    expect(accepted.body.milestones.map((m: { gross: number }) => m.gross)).toEqual([50000, 30000, 50000]);
    expect(accepted.body.feeScheduleId).toBe('crowdworks-2019-10');

    for (const milestoneId of [m1, m2, m3]) {
      const res = await service
        .post(`/v1/contracts/${id}/milestones/${milestoneId}/prepay`, client, { paymentReference: `pay-${milestoneId}`, method: 'bank_transfer' })
        .expect(200);
      expect(res.body.milestones.find((m: { milestoneId: string }) => m.milestoneId === milestoneId).status).toBe('funded');
    }

    const deliverable = { uri: 'https://files.example.com/wireframes.pdf', sha256: 'a'.repeat(64) };
    await service.post(`/v1/contracts/${id}/milestones/${m1}/deliver`, worker, { deliverables: [deliverable] }).expect(200);
    const revision = await service.post(`/v1/contracts/${id}/milestones/${m1}/request-revision`, client, { reason: 'Please add the mobile layout' }).expect(200);
    expect(revision.body.milestones[0].status).toBe('revision_requested');
    await service.post(`/v1/contracts/${id}/milestones/${m1}/deliver`, worker, { deliverables: [deliverable], message: 'Mobile layout added' }).expect(200);
    for (const milestoneId of [m2, m3]) {
      await service.post(`/v1/contracts/${id}/milestones/${milestoneId}/deliver`, worker, { deliverables: [deliverable] }).expect(200);
    }

    const payouts = [];
    for (const milestoneId of [m1, m2, m3]) {
      await service.post(`/v1/contracts/${id}/milestones/${milestoneId}/inspect`, client).expect(200);
      const paid = await service.post(`/v1/contracts/${id}/milestones/${milestoneId}/payout`, settlement).expect(200);
      expect(paid.body.position).toBeGreaterThan(0);
      payouts.push(paid.body.milestones.find((m: { milestoneId: string }) => m.milestoneId === milestoneId).payout);
    }
    expect(payouts).toEqual([
      { gross: 50000, feeExTax: 10000, feeTax: 1000, fee: 11000, net: 39000 },
      { gross: 30000, feeExTax: 6000, feeTax: 600, fee: 6600, net: 23400 },
      { gross: 50000, feeExTax: 7000, feeTax: 700, fee: 7700, net: 42300 },
    ]);

    const finalState = await service.get(`/v1/contracts/${id}`).expect(200);
    expect(finalState.body.status).toBe('completed');
    expect(finalState.body.milestones.every((m: { status: string }) => m.status === 'paid_out')).toBe(true);
    expect(finalState.body.totals).toMatchObject({ paidOut: 130000, fees: 25300, net: 104700, escrow: 0 });

    await service.restart();
    const afterRestart = await service.get(`/v1/contracts/${id}`).expect(200);
    expect(afterRestart.body).toEqual(finalState.body);
  });

  it('pays a single ¥10,000 milestone as the spec computes it', async () => {
    const offered = await offerContract(service, [{ title: 'Logo', amount: 10000, dueDate: '2026-12-31' }]);
    const id = offered.contractId;
    const m = offered.milestones[0].milestoneId;
    await service.post(`/v1/contracts/${id}/accept`, worker).expect(200);
    await service.post(`/v1/contracts/${id}/milestones/${m}/prepay`, client, { paymentReference: `pay-${id}`, method: 'card', amount: 11000 }).expect(200);
    await service.post(`/v1/contracts/${id}/milestones/${m}/deliver`, worker, { deliverables: [] }).expect(200);
    await service.post(`/v1/contracts/${id}/milestones/${m}/inspect`, client).expect(200);
    const paid = await service.post(`/v1/contracts/${id}/milestones/${m}/payout`, settlement).expect(200);
    expect(paid.body.milestones[0].payout).toEqual({ gross: 11000, feeExTax: 2200, feeTax: 220, fee: 2420, net: 8580 });
  });

  it('tells the history of a contract, event by event, with the state as of a revision', async () => {
    const offered = await offerContract(service);
    const id = offered.contractId;
    await service.post(`/v1/contracts/${id}/accept`, worker, {}, { 'X-Correlation-Id': 'corr-42' }).expect(200);
    const history = await service.get(`/v1/contracts/${id}/history`).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['ContractOffered', 'ContractAccepted']);
    expect(history.body.events[1]).toMatchObject({ revision: 1, actor: worker, correlationId: 'corr-42', after: { status: 'active' } });
    expect(history.body.events[1].schemaVersion).toBe(1);

    const asOfOffer = await service.get(`/v1/contracts/${id}/history?asOf=0`).expect(200);
    expect(asOfOffer.body.state.status).toBe('offered');
    expect(asOfOffer.body.events).toHaveLength(1);
    await service.get(`/v1/contracts/${id}/history?asOf=yesterday`).expect(400);
    const beforeOffer = await service.get(`/v1/contracts/${id}/history?asOf=2000-01-01T00:00:00Z`).expect(200);
    expect(beforeOffer.body).toMatchObject({ revision: -1, state: null, events: [] });
  });
});

describe('the audit feed', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('pages through every event in global order with its metadata', async () => {
    const { contractId } = await offerContract(service);
    await service.post(`/v1/contracts/${contractId}/accept`, worker).expect(200);
    await offerContract(service);
    // An offer first records the contract in each party's contract index (what closure reads), then itself.
    const offerEvents = ['AccountContractRecorded', 'AccountContractRecorded', 'ContractOffered'];
    const first = await service.get('/v1/audit/events?after=0&limit=4').expect(200);
    expect(first.body.data.map((e: { position: number }) => e.position)).toEqual([1, 2, 3, 4]);
    expect(first.body.data.map((e: { type: string }) => e.type)).toEqual([...offerEvents, 'ContractAccepted']);
    expect(first.body.data[0]).toMatchObject({ data: { accountId: client.id, contractId, side: 'client' }, metadata: { actor: client } });
    expect(first.body.data[3]).toMatchObject({ type: 'ContractAccepted', streamId: `contract-${contractId}`, metadata: { actor: worker } });
    const next = await service.get(`/v1/audit/events?cursor=${first.body.nextCursor}`).expect(200);
    expect(next.body.data.map((e: { type: string }) => e.type)).toEqual(offerEvents);
    expect(next.body.headPosition).toBe(7);
    const bad = await service.get('/v1/audit/events?after=-1&limit=5000').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['after', 'limit']);
  });
});
