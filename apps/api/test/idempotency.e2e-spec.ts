import { client, offerContract, TestService, THREE_MILESTONES, worker } from './harness';

describe('idempotent commands', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  const offer = { clientId: client.id, workerId: worker.id, title: 'Logo', milestones: THREE_MILESTONES };

  it('appends once for the same key and body, even across a restart, and returns the same response', async () => {
    const first = await service.post('/v1/contracts', client, offer, { 'Idempotency-Key': 'offer-1' }).expect(201);
    const second = await service.post('/v1/contracts', client, offer, { 'Idempotency-Key': 'offer-1' }).expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');

    await service.restart();
    const third = await service.post('/v1/contracts', client, { ...offer, milestones: [...offer.milestones] }, { 'Idempotency-Key': 'offer-1' }).expect(201);
    expect(third.body).toEqual(first.body);

    const audit = await service.get(`/v1/contracts/${first.body.contractId}/history`).expect(200);
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0].idempotencyKey).toBe('offer-1');
  });

  it('refuses the same key with another body with a 422 and appends nothing', async () => {
    const first = await service.post('/v1/contracts', client, offer, { 'Idempotency-Key': 'offer-2' }).expect(201);
    const reuse = await service.post('/v1/contracts', client, { ...offer, title: 'Another' }, { 'Idempotency-Key': 'offer-2' }).expect(422);
    expect(reuse.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const other = await service.post(`/v1/contracts/${first.body.contractId}/withdraw`, client, {}, { 'Idempotency-Key': 'offer-2' }).expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await service.get(`/v1/contracts/${first.body.contractId}`)).body.revision).toBe(0);
    // Keys belong to their caller: the worker's offer-2 is the worker's own.
    await service.post(`/v1/contracts/${first.body.contractId}/accept`, worker, {}, { 'Idempotency-Key': 'offer-2' }).expect(200);
  });

  it('answers a retried refusal the same way even after the state has changed', async () => {
    const { contractId } = await offerContract(service);
    const refused = await service.post(`/v1/contracts/${contractId}/accept`, client, {}, { 'Idempotency-Key': 'accept-as-client' }).expect(403);
    await service.post(`/v1/contracts/${contractId}/withdraw`, client, {}).expect(200);
    const retried = await service.post(`/v1/contracts/${contractId}/accept`, client, {}, { 'Idempotency-Key': 'accept-as-client' }).expect(403);
    expect(retried.body.code).toBe(refused.body.code);
  });

  it('recognises a retry whose first attempt was stored but not answered', async () => {
    const { contractId } = await offerContract(service);
    const first = await service.post(`/v1/contracts/${contractId}/accept`, worker, {}, { 'Idempotency-Key': 'accept-1' }).expect(200);
    // The same command racing itself: both attempts carry the key; only one set of events may exist.
    const racing = await Promise.all([1, 2, 3].map(() => service.post(`/v1/contracts/${contractId}/accept`, worker, {}, { 'Idempotency-Key': 'accept-1' })));
    for (const res of racing) expect(res.body).toEqual(first.body);
    expect((await service.get(`/v1/contracts/${contractId}`)).body.revision).toBe(1);
  });

  it('treats a command sent with no body and with {} as the same request', async () => {
    const { contractId } = await offerContract(service);
    const first = await service.post(`/v1/contracts/${contractId}/accept`, worker, undefined, { 'Idempotency-Key': 'accept-empty' }).expect(200);
    const again = await service.post(`/v1/contracts/${contractId}/accept`, worker, {}, { 'Idempotency-Key': 'accept-empty' }).expect(200);
    expect(again.body).toEqual(first.body);
  });

  it('lets a corrected request reuse the key of one refused for its values', async () => {
    const bad = { clientId: client.id, workerId: client.id, title: 'Self-dealing', milestones: THREE_MILESTONES };
    await service.post('/v1/contracts', client, bad, { 'Idempotency-Key': 'offer-fix' }).expect(400);
    await service.post('/v1/contracts', client, { ...bad, workerId: worker.id }, { 'Idempotency-Key': 'offer-fix' }).expect(201);
  });

  it('answers a success from its events after a restart, and a refusal from its record: each as the first time, marked replayed', async () => {
    const { contractId } = await offerContract(service);
    const accepted = await service.post(`/v1/contracts/${contractId}/accept`, worker, {}, { 'Idempotency-Key': 'accept-restart' }).expect(200);
    const refused = await service.post(`/v1/contracts/${contractId}/withdraw`, worker, {}, { 'Idempotency-Key': 'withdraw-restart' }).expect(403);
    await service.restart();

    const again = await service.post(`/v1/contracts/${contractId}/accept`, worker, {}, { 'Idempotency-Key': 'accept-restart' }).expect(200);
    expect(again.body).toEqual(accepted.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.etag).toBe(accepted.headers.etag);
    const refusedAgain = await service.post(`/v1/contracts/${contractId}/withdraw`, worker, {}, { 'Idempotency-Key': 'withdraw-restart' }).expect(403);
    expect(refusedAgain.body.code).toBe(refused.body.code);
    expect(refusedAgain.headers['idempotent-replayed']).toBe('true');
    const otherRoute = await service.post(`/v1/contracts/${contractId}/decline`, worker, {}, { 'Idempotency-Key': 'accept-restart' }).expect(422);
    expect(otherRoute.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await service.get(`/v1/contracts/${contractId}`)).body.revision).toBe(1);
  });
});
