import { client, fundedContract, offerContract, settlement, support, TestService, worker } from './harness';

/** Every refused command answers with problem+json and leaves the stream exactly where it was. */
describe('refused commands', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  const revisionOf = async (id: string) => (await service.get(`/v1/contracts/${id}`).expect(200)).body.revision as number;

  it('reports every invalid field of an offer at once, naming the field and the rule', async () => {
    const res = await service
      .post('/v1/contracts', client, {
        clientId: client.id,
        workerId: '',
        title: 'x',
        milestones: [{ title: 'a', amount: 10.5, dueDate: '2026-13-01' }, { title: '', amount: -1, dueDate: '2026-12-01' }],
        surprise: true,
      })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const fields = res.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'workerId:matches',
        'milestones[0].amount:isInt',
        'milestones[0].dueDate:calendarDate',
        'milestones[1].title:isNotEmpty',
        'milestones[1].amount:min',
        'surprise:unknownField',
      ]),
    );
  });

  it('refuses an offer with no milestones and one with 21', async () => {
    const milestone = { title: 'a', amount: 1000, dueDate: '2026-12-01' };
    for (const milestones of [[], Array.from({ length: 21 }, () => milestone)]) {
      const res = await service.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 't', milestones }).expect(400);
      expect(res.body.errors[0].field).toBe('milestones');
    }
  });

  it('requires the actor headers and names the missing ones', async () => {
    const res = await service.http().post('/v1/contracts').send({}).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['X-Actor-Id', 'X-Actor-Role']);
    const badRole = await service.post('/v1/contracts', { id: 'x', role: 'admin' as 'user' }, {}).expect(400);
    expect(badRole.body.errors[0]).toMatchObject({ field: 'X-Actor-Role', rule: 'isIn' });
  });

  it('refuses malformed JSON with a problem document', async () => {
    const res = await service.http().post('/v1/contracts').set('X-Actor-Id', 'c').set('X-Actor-Role', 'user').set('content-type', 'application/json').send('{"a":');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 403 to the wrong actor and appends nothing', async () => {
    const { contractId, milestones } = await offerContract(service);
    const before = await revisionOf(contractId);
    const cases: [string, typeof client, object?][] = [
      [`/v1/contracts/${contractId}/accept`, client],
      [`/v1/contracts/${contractId}/accept`, { id: 'someone-else', role: 'user' }],
      [`/v1/contracts/${contractId}/withdraw`, worker],
      [`/v1/contracts/${contractId}/accept`, support],
    ];
    for (const [path, actor, body] of cases) {
      const res = await service.post(path, actor, body).expect(403);
      expect(res.body.code).toMatch(/^[A-Z_]+$/);
    }
    await service.post(`/v1/contracts/${contractId}/accept`, worker).expect(200);
    const afterAccept = await revisionOf(contractId);
    expect(afterAccept).toBe(before + 1);
    await service.post(`/v1/contracts/${contractId}/milestones/${milestones[0].milestoneId}/prepay`, worker, { paymentReference: 'p', method: 'card' }).expect(403);
    await service.post(`/v1/contracts/${contractId}/milestones/${milestones[0].milestoneId}/payout`, client).expect(403);
    expect(await revisionOf(contractId)).toBe(afterAccept);
  });

  it('answers 404 to an unknown contract or milestone', async () => {
    const unknown = await service.post('/v1/contracts/does-not-exist/accept', worker).expect(404);
    expect(unknown.body.code).toBe('CONTRACT_NOT_FOUND');
    await service.get('/v1/contracts/does-not-exist').expect(404);
    const { contractId } = await offerContract(service);
    await service.post(`/v1/contracts/${contractId}/accept`, worker).expect(200);
    const res = await service.post(`/v1/contracts/${contractId}/milestones/nope/prepay`, client, { paymentReference: 'p', method: 'card' }).expect(404);
    expect(res.body.code).toBe('MILESTONE_NOT_FOUND');
  });

  it('answers 409 with a code when the command does not fit the state', async () => {
    const { contractId, milestones } = await offerContract(service);
    const m = milestones[0].milestoneId;
    await service.post(`/v1/contracts/${contractId}/accept`, worker).expect(200);
    const before = await revisionOf(contractId);
    const notFunded = await service.post(`/v1/contracts/${contractId}/milestones/${m}/deliver`, worker, { deliverables: [] }).expect(409);
    expect(notFunded.body).toMatchObject({ status: 409, code: 'MILESTONE_NOT_FUNDED' });
    expect((await service.post(`/v1/contracts/${contractId}/milestones/${m}/payout`, settlement).expect(409)).body.code).toBe('MILESTONE_NOT_INSPECTED');
    expect((await service.post(`/v1/contracts/${contractId}/accept`, worker).expect(409)).body.code).toBeDefined();
    expect(await revisionOf(contractId)).toBe(before);
  });

  it('refuses a prepayment of the wrong amount and a double payout', async () => {
    const { contractId, milestones } = await fundedContract(service);
    const m = milestones[0].milestoneId;
    await service.post(`/v1/contracts/${contractId}/milestones/${m}/deliver`, worker, { deliverables: [] }).expect(200);
    await service.post(`/v1/contracts/${contractId}/milestones/${m}/inspect`, client).expect(200);
    await service.post(`/v1/contracts/${contractId}/milestones/${m}/payout`, settlement).expect(200);
    const before = await revisionOf(contractId);
    const again = await service.post(`/v1/contracts/${contractId}/milestones/${m}/payout`, settlement).expect(409);
    expect(again.body.code).toBe('MILESTONE_ALREADY_PAID_OUT');
    expect(await revisionOf(contractId)).toBe(before);

    const other = await offerContract(service, [{ title: 'a', amount: 10000, dueDate: '2026-12-31' }]);
    await service.post(`/v1/contracts/${other.contractId}/accept`, worker).expect(200);
    const wrong = await service
      .post(`/v1/contracts/${other.contractId}/milestones/${other.milestones[0].milestoneId}/prepay`, client, { paymentReference: 'p', method: 'card', amount: 10000 })
      .expect((r) => expect([400, 409]).toContain(r.status));
    expect(wrong.body.code).toBeDefined();
  });

  it('answers 412 to a stale If-Match and accepts the current one', async () => {
    const { contractId } = await offerContract(service);
    const stale = await service.post(`/v1/contracts/${contractId}/accept`, worker, {}, { 'If-Match': '5' }).expect(412);
    expect(stale.body).toMatchObject({ code: 'STALE_REVISION', currentRevision: 0 });
    expect(await revisionOf(contractId)).toBe(0);
    await service.post(`/v1/contracts/${contractId}/accept`, worker, {}, { 'If-Match': '"0"' }).expect(200);
    await service.post(`/v1/contracts/${contractId}/accept`, worker, {}, { 'If-Match': 'abc' }).expect(400);
  });

  it('requires a reason when support inspects on behalf of the client', async () => {
    const { contractId, milestones } = await fundedContract(service, [{ title: 'a', amount: 10000, dueDate: '2026-12-31' }]);
    const m = milestones[0].milestoneId;
    await service.post(`/v1/contracts/${contractId}/milestones/${m}/deliver`, worker, { deliverables: [] }).expect(200);
    const res = await service.post(`/v1/contracts/${contractId}/milestones/${m}/inspect`, support, {}).expect(400);
    expect(res.body.errors[0].field).toBe('reason');
    const early = await service.post(`/v1/contracts/${contractId}/milestones/${m}/inspect`, support, { reason: 'client silent' }).expect(409);
    expect(early.body.code).toBe('INSPECTION_GRACE_NOT_ELAPSED');
  });

  it('refuses a payment reference that already funded another milestone, and appends nothing', async () => {
    const first = await offerContract(service);
    await service.post(`/v1/contracts/${first.contractId}/accept`, worker).expect(200);
    await service
      .post(`/v1/contracts/${first.contractId}/milestones/${first.milestones[0].milestoneId}/prepay`, client, { paymentReference: 'pay-shared', method: 'card' })
      .expect(200);
    const reused = await service
      .post(`/v1/contracts/${first.contractId}/milestones/${first.milestones[1].milestoneId}/prepay`, client, { paymentReference: 'pay-shared', method: 'card' })
      .expect(409);
    expect(reused.body.code).toBe('PAYMENT_REFERENCE_ALREADY_USED');

    const second = await offerContract(service);
    await service.post(`/v1/contracts/${second.contractId}/accept`, worker).expect(200);
    const before = await revisionOf(second.contractId);
    await service
      .post(`/v1/contracts/${second.contractId}/milestones/${second.milestones[0].milestoneId}/prepay`, client, { paymentReference: 'pay-shared', method: 'card' })
      .expect(409);
    expect(await revisionOf(second.contractId)).toBe(before);
    expect(await revisionOf(first.contractId)).toBe(2);
  });

  it('lists domain value errors in the same shape as request validation', async () => {
    const res = await service
      .post('/v1/contracts', client, { clientId: client.id, workerId: client.id, title: 't', milestones: [{ title: 'a', amount: 1000, dueDate: '2026-12-01' }] })
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: expect.any(String), rule: expect.any(String), message: expect.any(String) })]);
  });

  it('shows how much a raised milestone still needs before it may be delivered', async () => {
    const { contractId, milestones } = await fundedContract(service, [{ title: 'a', amount: 10000, dueDate: '2026-12-31' }]);
    const m = milestones[0].milestoneId;
    const proposed = await service.post(`/v1/contracts/${contractId}/terms-changes`, client, { changes: [{ milestoneId: m, amount: 20000 }] }).expect(201);
    const changeId = proposed.body.pendingTermsChange.changeId;
    const accepted = await service.post(`/v1/contracts/${contractId}/terms-changes/${changeId}/accept`, worker).expect(200);
    expect(accepted.body.milestones[0]).toMatchObject({ gross: 22000, fundedGross: 11000, fundingDue: 11000 });
    const blocked = await service.post(`/v1/contracts/${contractId}/milestones/${m}/deliver`, worker, { deliverables: [] }).expect(409);
    expect(blocked.body.code).toBe('ADDITIONAL_FUNDING_REQUIRED');
  });
});
