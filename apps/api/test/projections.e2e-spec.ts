import { Actor, settlement, TestService } from './harness';

/** Offers a one-milestone contract and takes it to completion; resolves with the global position of the last event. */
async function completedContract(service: TestService, client: Actor, worker: Actor, amount = 10_000): Promise<{ contractId: string; position: number }> {
  const offered = await service
    .post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Logo', milestones: [{ title: 'Logo', amount, dueDate: '2026-12-31' }] })
    .expect(201);
  const id = offered.body.contractId as string;
  const milestoneId = offered.body.milestones[0].milestoneId as string;
  await service.post(`/v1/contracts/${id}/accept`, worker).expect(200);
  await service.post(`/v1/contracts/${id}/milestones/${milestoneId}/prepay`, client, { paymentReference: `pay-${id}`, method: 'card' }).expect(200);
  await service.post(`/v1/contracts/${id}/milestones/${milestoneId}/deliver`, worker, { deliverables: [{ uri: 'https://files.example.com/logo.svg' }] }).expect(200);
  await service.post(`/v1/contracts/${id}/milestones/${milestoneId}/inspect`, client).expect(200);
  const paid = await service.post(`/v1/contracts/${id}/milestones/${milestoneId}/payout`, settlement).expect(200);
  expect(paid.body.status).toBe('completed');
  return { contractId: id, position: paid.body.position };
}

/** Offers, accepts, funds and then terminates by agreement; resolves with the last position. */
async function terminatedContract(service: TestService, client: Actor, worker: Actor): Promise<{ contractId: string; position: number }> {
  const offered = await service
    .post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Banner', milestones: [{ title: 'Banner', amount: 5_000, dueDate: '2026-12-31' }] })
    .expect(201);
  const id = offered.body.contractId as string;
  await service.post(`/v1/contracts/${id}/accept`, worker).expect(200);
  await service.post(`/v1/contracts/${id}/milestones/${offered.body.milestones[0].milestoneId}/prepay`, client, { paymentReference: `pay-${id}`, method: 'card' }).expect(200);
  await service.post(`/v1/contracts/${id}/termination`, client, { reason: 'No longer needed' }).expect(200);
  const terminated = await service.post(`/v1/contracts/${id}/termination/accept`, worker).expect(200);
  expect(terminated.body.status).toBe('terminated');
  return { contractId: id, position: terminated.body.position };
}

describe('read models over HTTP', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('gives a client with 9 completed and 1 terminated contract the rate "0.9", flagged at 90 %, and the worker side likewise', async () => {
    const client: Actor = { id: 'rate-client', role: 'user' };
    const workers: Actor[] = [{ id: 'rate-worker-a', role: 'user' }, { id: 'rate-worker-b', role: 'user' }];
    let last = 0;
    for (let index = 0; index < 9; index++) last = (await completedContract(service, client, workers[index % 2])).position;
    last = (await terminatedContract(service, client, workers[1])).position;

    const rate = await service.get(`/v1/clients/${client.id}/completion-rate?minPosition=${last}`).expect(200);
    expect(rate.body).toEqual({ clientId: 'rate-client', completed: 9, ended: 10, rate: '0.9', atLeast90: true });

    // Worker b: 4 completed, 1 terminated.
    const workerRate = await service.get(`/v1/workers/${workers[1].id}/completion-rate`).set('X-Min-Position', String(last)).expect(200);
    expect(workerRate.body).toEqual({ workerId: 'rate-worker-b', completed: 4, ended: 5, rate: '0.8', atLeast90: false });

    const nobody = await service.get('/v1/clients/nobody-yet/completion-rate').expect(200);
    expect(nobody.body).toEqual({ clientId: 'nobody-yet', completed: 0, ended: 0, rate: null, atLeast90: false });
  });

  it('reads its own writes: with minPosition the fees of a payout are there as soon as the command answered', async () => {
    const client: Actor = { id: 'ryw-client', role: 'user' };
    const worker: Actor = { id: 'ryw-worker', role: 'user' };
    for (let round = 0; round < 5; round++) {
      const { contractId, position } = await completedContract(service, client, worker, 10_000);
      const fees = await service.get(`/v1/contracts/${contractId}/fees?minPosition=${position}`).expect(200);
      expect(fees.body.totals).toEqual({ payouts: 1, gross: 11_000, feeExTax: 2_200, feeTax: 220, fee: 2_420, net: 8_580 });
      expect(fees.body.data[0]).toMatchObject({ gross: 11_000, fee: 2_420, net: 8_580, scheduleId: 'crowdworks-2019-10', cause: 'settlement' });
      const contracts = await service.get(`/v1/clients/${client.id}/contracts`).set('X-Min-Position', String(position)).expect(200);
      expect(contracts.body.data.map((c: { contractId: string }) => c.contractId)).toContain(contractId);
    }
  });

  it('lists the contracts of a client and of a worker with their status and totals, page by page', async () => {
    const client: Actor = { id: 'list-client', role: 'user' };
    const worker: Actor = { id: 'list-worker', role: 'user' };
    const first = await completedContract(service, client, worker);
    const second = await terminatedContract(service, client, worker);

    const page = await service.get(`/v1/clients/${client.id}/contracts?limit=1&minPosition=${second.position}`).expect(200);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.data[0]).toMatchObject({
      contractId: first.contractId,
      clientId: 'list-client',
      workerId: 'list-worker',
      status: 'completed',
      totals: { gross: 11_000, funded: 11_000, paidOut: 11_000, fees: 2_420, net: 8_580, refunded: 0, escrow: 0 },
    });
    const next = await service.get(`/v1/clients/${client.id}/contracts?limit=1&cursor=${page.body.nextCursor}`).expect(200);
    expect(next.body.data[0]).toMatchObject({ contractId: second.contractId, status: 'terminated', totals: { refunded: 5_500, escrow: 0 } });
    expect(next.body.nextCursor).toBeNull();

    const terminated = await service.get(`/v1/workers/${worker.id}/contracts?status=terminated`).expect(200);
    expect(terminated.body.data.map((c: { contractId: string }) => c.contractId)).toEqual([second.contractId]);
  });

  it('reports fee revenue per day and month of Japan', async () => {
    const { position } = await completedContract(service, { id: 'rev-client', role: 'user' }, { id: 'rev-worker', role: 'user' });
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const byDay = await service.get(`/v1/fees/revenue?by=day&from=${today}&to=${today}&minPosition=${position}`).expect(200);
    expect(byDay.body.data).toHaveLength(1);
    expect(byDay.body.data[0].period).toBe(today);
    expect(byDay.body.data[0].fee).toBeGreaterThanOrEqual(2_420);
    const byMonth = await service.get(`/v1/fees/revenue?by=month&from=${today.slice(0, 7)}&to=${today.slice(0, 7)}`).expect(200);
    expect(byMonth.body.totals.fee).toBe(byDay.body.totals.fee);
  });

  it('shows how far every projection has read the log', async () => {
    const head = (await completedContract(service, { id: 'status-client', role: 'user' }, { id: 'status-worker', role: 'user' })).position;
    const res = await service.get(`/v1/projections?minPosition=${head}`).expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.data.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['ledger', 'fees', 'contract-summaries', 'completion-rates']));
    for (const projection of res.body.data) {
      // minPosition waits for the projections; a reactor may still be appending what the payout calls for.
      if (projection.kind === 'projection') expect(projection.position).toBeGreaterThanOrEqual(head);
      expect(projection.lag).toBe(projection.headPosition - projection.position);
      expect(projection.version).toBeGreaterThanOrEqual(1);
      expect(typeof projection.updatedAt).toBe('string');
    }
    // Processes reacting to the payout may append after it; once they are done every projection is at the head.
    const deadline = Date.now() + 3000;
    let statuses = res.body.data as { position: number; headPosition: number; lag: number }[];
    while (statuses.some((p) => p.lag > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      statuses = (await service.get('/v1/projections').expect(200)).body.data;
    }
    for (const projection of statuses) {
      expect(projection).toMatchObject({ lag: 0, position: projection.headPosition });
      expect(projection.position).toBeGreaterThanOrEqual(head);
    }
  });

  it('refuses a malformed minPosition or filter with every field error, as problem+json', async () => {
    const res = await service.get('/v1/clients/c/contracts?minPosition=soon&limit=0&status=lost&colour=red').expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['minPosition']);

    const filters = await service.get('/v1/clients/c/contracts?limit=0&status=lost&colour=red').expect(400);
    expect(filters.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`).sort()).toEqual(['colour:unknownField', 'limit:min', 'status:isIn']);

    const revenue = await service.get('/v1/fees/revenue?by=week&from=2026-02-30').expect(400);
    expect(revenue.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['by', 'from']);

    await service.get('/v1/projections').set('X-Min-Position', '-1').expect(400);
  });

  it('answers 503 PROJECTION_BEHIND with Retry-After when the projections do not reach minPosition in time', async () => {
    const head = (await service.get('/v1/projections').expect(200)).body.data[0].headPosition as number;
    const startedAt = Date.now();
    const res = await service.get(`/v1/workers/w/completion-rate?minPosition=${head + 1000}`).expect(503);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(4_500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ status: 503, code: 'PROJECTION_BEHIND', minPosition: head + 1000, projections: [{ name: 'completion-rates' }] });
  });

  it('answers 404 problem+json for the fees of a contract it does not know', async () => {
    const res = await service.get('/v1/contracts/no-such-contract/fees').expect(404);
    expect(res.body.code).toBe('CONTRACT_NOT_FOUND');
  });
});
