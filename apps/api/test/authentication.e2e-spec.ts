import { createHash } from 'node:crypto';
import { client, offerContract, TestService, worker } from './harness';

const TOKENS = {
  jobBoard: 'job-board-token-0123456789abcdefghijkl',
  jobBoardRotated: 'job-board-token-rotated-0123456789abcd',
  support: 'support-console-token-0123456789abcdefg',
  settlement: 'settlement-token-0123456789abcdefghijk',
  audit: 'audit-token-0123456789abcdefghijklmnopq',
};
const API_CLIENTS = JSON.stringify([
  // The rotated token is configured by its digest, as an operator would keep it.
  { id: 'job-board', roles: ['user'], tokens: [TOKENS.jobBoard, `sha256:${createHash('sha256').update(TOKENS.jobBoardRotated).digest('hex')}`] },
  { id: 'support-console', roles: ['support'], tokens: [TOKENS.support] },
  { id: 'settlement', roles: ['system'], tokens: [TOKENS.settlement] },
  { id: 'audit', roles: ['auditor'], tokens: [TOKENS.audit] },
]);

describe('calling services authenticate with their own tokens and assert only their roles', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await TestService.start({
      env: { API_CLIENTS },
      tokens: { user: TOKENS.jobBoard, support: TOKENS.support, system: TOKENS.settlement, auditor: TOKENS.audit },
    });
  });
  afterAll(() => service.stop());

  const head = async () => (await service.get('/v1/audit/events?after=0&limit=1')).body.headPosition as number;

  it('answers 401 problem+json without a token, with an unknown one, or with another scheme, and appends nothing', async () => {
    const before = await head();
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdefghijklmn', `Basic ${TOKENS.jobBoard}`, `Bearer ${TOKENS.jobBoard}x`]) {
      const req = service.http().post('/v1/contracts').set('X-Actor-Id', client.id).set('X-Actor-Role', 'user').send({});
      if (authorization) req.set('Authorization', authorization);
      const res = await req.expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
    expect(await head()).toBe(before);
  });

  it('answers 401 to an unauthenticated request for a path that matches no route, and 404 once authenticated', async () => {
    const unknown = await service.http().get('/v1/no-such-route').expect(401);
    expect(unknown.body.code).toBe('UNAUTHENTICATED');
    await service.get('/v1/no-such-route').expect(404);
  });

  it('keeps health and the API documentation open, showing health details only to staff', async () => {
    const open = (await service.http().get('/health').expect(200)).body;
    expect(open.details.eventStore).toEqual({ status: 'up' });
    expect(open.details.processors).toEqual({ status: 'up', parked: 0, retrying: 0 });
    const asUser = (await service.get('/health', client).expect(200)).body;
    expect(asUser.details.eventStore).toEqual({ status: 'up' });
    const asAuditor = (await service.get('/health', { id: 'auditor-7', role: 'auditor' }).expect(200)).body;
    expect(asAuditor.details.eventStore).toMatchObject({ status: 'up', storeId: expect.any(String), headPosition: expect.any(Number) });
    expect(asAuditor.details.processors.reactors).toEqual(expect.any(Array));
    await service.http().get('/openapi.json').expect(200);
  });

  it('tells a stale If-Match only to an actor the command is for: a stranger learns no revision', async () => {
    const { contractId } = await offerContract(service);
    const stranger = await service.post(`/v1/contracts/${contractId}/accept`, { id: 'stranger-1', role: 'user' }, {}, { 'If-Match': '99' }).expect(403);
    expect(stranger.body.currentRevision).toBeUndefined();
    const strangerWallet = await service.post(`/v1/accounts/${worker.id}/wallet/forfeit`, { id: 'stranger-1', role: 'user' }, { reason: 'x' }, { 'If-Match': '99' }).expect(403);
    expect(strangerWallet.body.currentRevision).toBeUndefined();
    const party = await service.post(`/v1/contracts/${contractId}/accept`, worker, {}, { 'If-Match': '99' }).expect(412);
    expect(party.body).toMatchObject({ code: 'STALE_REVISION', currentRevision: 0 });
  });

  it('accepts either token of a client while it rotates, the second configured only by its digest', async () => {
    for (const token of [TOKENS.jobBoard, TOKENS.jobBoardRotated]) {
      await service.http().get('/v1/fees/quote?amount=10000').set('Authorization', `Bearer ${token}`).set('X-Actor-Id', client.id).set('X-Actor-Role', 'user').expect(200);
    }
  });

  it('refuses with 403 ROLE_NOT_GRANTED a role the calling service may not assert, and appends nothing', async () => {
    const { contractId } = await offerContract(service);
    const before = await head();
    const asSystem = await service
      .http()
      .post('/v1/contracts')
      .set('Authorization', `Bearer ${TOKENS.jobBoard}`)
      .set('X-Actor-Id', 'settlement')
      .set('X-Actor-Role', 'system')
      .send({})
      .expect(403);
    expect(asSystem.body).toMatchObject({ code: 'ROLE_NOT_GRANTED', callingService: 'job-board', grantedRoles: ['user'] });
    const supportReading = await service.http().get(`/v1/contracts/${contractId}`).set('Authorization', `Bearer ${TOKENS.jobBoard}`).set('X-Actor-Id', 's').set('X-Actor-Role', 'support').expect(403);
    expect(supportReading.body.code).toBe('ROLE_NOT_GRANTED');
    const settlementAsUser = await service
      .http()
      .post(`/v1/contracts/${contractId}/accept`)
      .set('Authorization', `Bearer ${TOKENS.settlement}`)
      .set('X-Actor-Id', worker.id)
      .set('X-Actor-Role', 'user')
      .expect(403);
    expect(settlementAsUser.body.code).toBe('ROLE_NOT_GRANTED');
    expect(await head()).toBe(before);
  });

  it('lets the auditor read everything and refuses every command from it with 403 READ_ONLY_ROLE', async () => {
    const { contractId } = await offerContract(service);
    await service.get(`/v1/contracts/${contractId}`, { id: 'auditor-7', role: 'auditor' }).expect(200);
    const before = await head();
    const refused = await service.post(`/v1/contracts/${contractId}/withdraw`, { id: 'auditor-7', role: 'auditor' }, {}).expect(403);
    expect(refused.body.code).toBe('READ_ONLY_ROLE');
    expect(await head()).toBe(before);
  });

  it('needs the actor headers on reads too', async () => {
    const res = await service.http().get('/v1/fees/quote?amount=10000').set('Authorization', `Bearer ${TOKENS.jobBoard}`).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['X-Actor-Id', 'X-Actor-Role']);
  });

  it('records on every event the calling service the command came through', async () => {
    const { contractId } = await offerContract(service);
    await service.post(`/v1/contracts/${contractId}/accept`, worker).expect(200);
    const feed = await service.get('/v1/audit/events?after=0&limit=1000').expect(200);
    const events = feed.body.data.filter((event: { streamId: string }) => event.streamId.endsWith(contractId));
    expect(events.map((event: { metadata: { callingService: string } }) => event.metadata.callingService)).toEqual(['job-board', 'job-board']);
  });
});

describe('the deprecated API_TOKENS', () => {
  let service: TestService;
  const token = 'legacy-token-0123456789';
  beforeAll(async () => {
    service = await TestService.start({ env: { API_TOKENS: token }, tokens: { user: token, system: token, support: token, auditor: token } });
  });
  afterAll(() => service.stop());

  it('still authenticates, as one client that may assert every role, and is recorded as such', async () => {
    await service.http().get('/v1/fees/quote?amount=10000').expect(401);
    const { contractId } = await offerContract(service);
    await service.get(`/v1/contracts/${contractId}`, { id: 'support-1', role: 'support' }).expect(200);
    const feed = await service.get('/v1/audit/events?after=0&limit=10').expect(200);
    expect(feed.body.data[0].metadata.callingService).toBe('legacy-api-tokens');
  });
});
