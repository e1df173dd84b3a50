import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { CREATED_LOCATIONS } from '../src/http/created-locations';
import { ROUTE_CASES, World } from './access/route-cases';
import { client, offerContract, TestService, worker } from './harness';
import { clientWithRefund, registerBankAccount, requestWithdrawal, uniqueId, user } from './wallets.fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HTTP conventions', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  const revisionOf = async (contractId: string) => (await service.get(`/v1/contracts/${contractId}`).expect(200)).body.revision as number;

  describe('ETag', () => {
    it('tags a contract, its history and every command answer with the stream revision, a replay with the same tag', async () => {
      const offered = await service.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Logo', milestones: [{ title: 'Logo', amount: 10_000, dueDate: '2027-01-15' }] }).expect(201);
      expect(offered.headers.etag).toBe('"0"');
      const id = offered.body.contractId as string;

      const accepted = await service.post(`/v1/contracts/${id}/accept`, worker, {}, { 'Idempotency-Key': `accept-${id}` }).expect(200);
      expect(accepted.headers.etag).toBe(`"${accepted.body.revision}"`);
      expect(accepted.body.revision).toBe(1);
      const replayed = await service.post(`/v1/contracts/${id}/accept`, worker, {}, { 'Idempotency-Key': `accept-${id}` }).expect(200);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.headers.etag).toBe('"1"');

      expect((await service.get(`/v1/contracts/${id}`).expect(200)).headers.etag).toBe('"1"');
      expect((await service.get(`/v1/contracts/${id}/history`).expect(200)).headers.etag).toBe('"1"');
    });

    it('tags a wallet, an account and a withdrawal with their stream revisions, and sends none on a problem', async () => {
      const { accountId } = await clientWithRefund(service, 10_000);
      const bankAccountId = await registerBankAccount(service, accountId);
      const account = await service.get(`/v1/accounts/${accountId}`).expect(200);
      expect(account.headers.etag).toBe(`"${account.body.revision}"`);
      const withdrawal = await requestWithdrawal(service, accountId, bankAccountId, 5_000);
      const wallet = await service.get(`/v1/accounts/${accountId}/wallet?minPosition=${withdrawal.position}`).expect(200);
      expect(wallet.headers.etag).toBe(`"${wallet.body.revision}"`);
      const read = await service.get(`/v1/withdrawals/${withdrawal.withdrawalId}`).expect(200);
      expect(read.headers.etag).toBe(`"${wallet.body.revision}"`);

      const missing = await service.get('/v1/contracts/no-such-contract').expect(404);
      expect(missing.headers.etag).toBeUndefined();
    });
  });

  describe('If-Match', () => {
    let contractId: string;
    let milestoneId: string;

    beforeEach(async () => {
      const offered = await offerContract(service);
      contractId = offered.contractId;
      milestoneId = offered.milestones[0].milestoneId;
      await service.post(`/v1/contracts/${contractId}/accept`, worker).expect(200);
    });

    const prepay = (ifMatch: string) =>
      service.post(`/v1/contracts/${contractId}/milestones/${milestoneId}/prepay`, client, { paymentReference: uniqueId('pay'), method: 'card' }, { 'If-Match': ifMatch });

    it('matches a strong tag of the current revision, and any tag of a list', async () => {
      await prepay('"1"').expect(200);
      expect(await revisionOf(contractId)).toBe(2);
      const other = (await offerContract(service)).contractId;
      await service.post(`/v1/contracts/${other}/accept`, worker, {}, { 'If-Match': '"7", "0" ,"9"' }).expect(200);
    });

    it('never matches a weak tag, even of the current revision: 412 and nothing appended', async () => {
      const refused = await prepay('W/"1"').expect(412);
      expect(refused.body).toMatchObject({ code: 'STALE_REVISION', currentRevision: 1 });
      await prepay('W/"1", W/"0"').expect(412);
      expect(await revisionOf(contractId)).toBe(1);
    });

    it('answers a stale strong tag with 412 naming both revisions', async () => {
      const refused = await prepay('"0"').expect(412);
      expect(refused.body).toMatchObject({ code: 'STALE_REVISION', expectedRevision: 0, currentRevision: 1, type: '/problems/stale-revision' });
      expect(await revisionOf(contractId)).toBe(1);
    });

    it('matches * when the stream exists, and answers 412 when it does not', async () => {
      await prepay('*').expect(200);
      const offer = { clientId: client.id, workerId: worker.id, title: 'Logo', milestones: [{ title: 'Logo', amount: 10_000, dueDate: '2027-01-15' }] };
      const created = await service.post('/v1/contracts', client, offer, { 'If-Match': '*' }).expect(412);
      expect(created.body).toMatchObject({ code: 'STALE_REVISION', expectedRevision: '*', currentRevision: -1 });
    });

    it('answers a malformed If-Match with 400 naming the header', async () => {
      for (const malformed of ['"1', 'abc', '*, "1"', 'W/1', '"1" "2"', '', '01']) {
        const refused = await prepay(malformed).expect(400);
        expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'If-Match', rule: 'entityTag' })]);
      }
      expect(await revisionOf(contractId)).toBe(1);
    });
  });

  describe('Location', () => {
    it('points every 201 at a resource its caller can read', async () => {
      const created = Object.entries(ROUTE_CASES).filter(([, routeCase]) => routeCase.status === 201);
      expect(created.map(([route]) => route.replace(/\{(\w+)\}/g, ':$1')).sort()).toEqual(Object.keys(CREATED_LOCATIONS).sort());
      const world = new World(service);
      await world.build();
      for (const [route, routeCase] of created) {
        const prepared = await routeCase.prepare(world, 'party');
        const res = await service.post(prepared.path, prepared.party!, prepared.body).expect(201);
        expect({ route, location: res.headers.location }).toEqual({ route, location: expect.stringMatching(/^\/v1\//) });
        const read = await service.get(res.headers.location, prepared.party!);
        expect({ route, status: read.status }).toEqual({ route, status: 200 });
      }
    });

    it('names the new contract and the new withdrawal, each readable there', async () => {
      const offered = await service.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Logo', milestones: [{ title: 'Logo', amount: 10_000, dueDate: '2027-01-15' }] }).expect(201);
      expect(offered.headers.location).toBe(`/v1/contracts/${offered.body.contractId}`);

      const { accountId } = await clientWithRefund(service, 10_000);
      const bankAccountId = await registerBankAccount(service, accountId);
      const requested = await service.post(`/v1/accounts/${accountId}/withdrawals`, user(accountId), { amount: 5_000, mode: 'standard', bankAccountId }).expect(201);
      expect(requested.headers.location).toBe(`/v1/withdrawals/${requested.body.withdrawalId}`);
      const read = await service.get(requested.headers.location, user(accountId)).expect(200);
      expect(read.body).toMatchObject({ withdrawalId: requested.body.withdrawalId, accountId, amount: 5_000, status: requested.body.status, revision: requested.body.revision });
    });
  });

  describe('a withdrawal', () => {
    it('is read by its owner and staff, refused to another user, and unknown ids are 404', async () => {
      const { accountId } = await clientWithRefund(service, 10_000);
      const withdrawal = await requestWithdrawal(service, accountId, await registerBankAccount(service, accountId), 5_000);
      await service.get(`/v1/withdrawals/${withdrawal.withdrawalId}`, user(accountId)).expect(200);
      await service.get(`/v1/withdrawals/${withdrawal.withdrawalId}`, { id: 'support-1', role: 'support' }).expect(200);
      const stranger = await service.get(`/v1/withdrawals/${withdrawal.withdrawalId}`, user('stranger-1')).expect(403);
      expect(stranger.body.code).toBe('NOT_A_PARTY');
      expect(stranger.body.accountId).toBeUndefined();
      expect((await service.get('/v1/withdrawals/no-such-withdrawal').expect(404)).body.code).toBe('WITHDRAWAL_NOT_FOUND');
    });
  });

  describe('request and correlation ids', () => {
    it('takes a bounded X-Request-Id, echoes it and the correlation id, and defaults the correlation to the request id', async () => {
      const given = await service.get('/v1/fees/quote?amount=10000').set('X-Request-Id', 'job-board:req-42').expect(200);
      expect(given.headers['x-request-id']).toBe('job-board:req-42');
      expect(given.headers['x-correlation-id']).toBe('job-board:req-42');

      const both = await service.get('/v1/fees/quote?amount=10000').set('X-Request-Id', 'req-43').set('X-Correlation-Id', 'checkout-7').expect(200);
      expect(both.headers).toMatchObject({ 'x-request-id': 'req-43', 'x-correlation-id': 'checkout-7' });

      const made = await service.get('/v1/fees/quote?amount=10000').expect(200);
      expect(made.headers['x-request-id']).toMatch(UUID);
      expect(made.headers['x-correlation-id']).toBe(made.headers['x-request-id']);
    });

    it('never echoes an unbounded or invisible X-Request-Id: it makes one of its own', async () => {
      for (const bad of ['x'.repeat(129), 'has space', 'tab\there']) {
        const res = await service.get('/v1/fees/quote?amount=10000').set('X-Request-Id', bad).expect(200);
        expect(res.headers['x-request-id']).toMatch(UUID);
      }
      const longest = 'y'.repeat(128);
      expect((await service.get('/v1/fees/quote?amount=10000').set('X-Request-Id', longest).expect(200)).headers['x-request-id']).toBe(longest);
    });

    it('puts both ids in every problem, whichever layer answers it', async () => {
      const headers = { 'X-Request-Id': 'req-problem', 'X-Correlation-Id': 'corr-problem' };
      const answers = [
        await service.get('/v1/contracts/no-such-contract').set(headers),
        await service.post('/v1/contracts', client, { title: 1 }).set(headers),
        await service.get('/v2/nothing').set(headers),
        await service.http().delete('/v1/contracts').set(headers),
        await service.post('/v1/contracts', client).set(headers).set('content-type', 'text/plain').send('title=x'),
        await service.get(`/v1/contracts/${'a'.repeat(5000)}`).set(headers),
        await service.http().get('/problems/no-such-problem').set(headers),
      ];
      expect(answers.map((res) => res.status)).toEqual([404, 400, 404, 405, 415, 414, 404]);
      for (const res of answers) {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers).toMatchObject({ 'x-request-id': 'req-problem', 'x-correlation-id': 'corr-problem' });
        expect(res.body).toMatchObject({ requestId: 'req-problem', correlationId: 'corr-problem' });
      }
    });

    it('gives an answer written on the raw socket, before there is a request, an id of its own', async () => {
      const server = service.app.getHttpServer() as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const answer = await new Promise<string>((resolve) => {
          const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write('HELLO THERE\r\nX-Request-Id: mine\r\n\r\n'));
          const chunks: Buffer[] = [];
          socket.on('data', (chunk) => chunks.push(chunk));
          socket.on('error', () => undefined);
          socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
        const [head, body] = answer.split('\r\n\r\n');
        const requestId = /\r\nX-Request-Id: (\S+)\r\n/.exec(head)?.[1];
        expect(requestId).toMatch(UUID);
        expect(head).toContain(`X-Correlation-Id: ${requestId}`);
        expect(JSON.parse(body)).toMatchObject({ code: 'MALFORMED_REQUEST', requestId, correlationId: requestId });
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('sends both ids with the live event feed, whose stream writes its own head', async () => {
      const feed = await service.get('/v1/events/stream?until=1').set('X-Request-Id', 'req-feed').expect(200);
      expect(feed.headers).toMatchObject({ 'x-request-id': 'req-feed', 'x-correlation-id': 'req-feed' });
    });

    it('records the request id as the correlation id of the events of a command that names none', async () => {
      const offered = await service.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Logo', milestones: [{ title: 'Logo', amount: 10_000, dueDate: '2027-01-15' }] }, { 'X-Request-Id': 'req-offer-1' }).expect(201);
      const history = await service.get(`/v1/contracts/${offered.body.contractId}/history`).expect(200);
      expect(history.body.events[0].correlationId).toBe('req-offer-1');
    });
  });

  describe('415 and 405', () => {
    it('answers a body that is not JSON, or has no content type, with 415', async () => {
      const offered = await offerContract(service);
      const path = `/v1/contracts/${offered.contractId}/withdraw`;
      for (const contentType of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
        const res = await service.post(path, client).set('content-type', contentType).send('x=1');
        expect({ contentType, status: res.status, code: res.body.code }).toEqual({ contentType, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      }
      expect(await revisionOf(offered.contractId)).toBe(0);
    });

    it('answers 405 to an authenticated caller, and 401 without a token, when calling services are configured', async () => {
      const token = 'job-board-token-0123456789abcdefghijkl';
      const guarded = await TestService.start({ env: { API_CLIENTS: JSON.stringify([{ id: 'job-board', roles: ['user'], tokens: [token] }]) }, tokens: { user: token } });
      try {
        const allowed = await guarded.http().delete('/v1/contracts').set('Authorization', `Bearer ${token}`).set('X-Request-Id', 'req-405');
        expect(allowed.status).toBe(405);
        expect(allowed.headers.allow).toBe('GET, HEAD, POST');
        expect(allowed.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', requestId: 'req-405' });
        const anonymous = await guarded.http().delete('/v1/contracts').set('X-Request-Id', 'req-401');
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.allow).toBeUndefined();
        expect(anonymous.body).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'req-401', correlationId: 'req-401' });
      } finally {
        await guarded.stop();
      }
    });

    it('answers a known path with another method with 405 and Allow, and the new withdrawal path too', async () => {
      const res = await service.post('/v1/withdrawals/some-withdrawal', client, {});
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(res.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', type: '/problems/method-not-allowed' });
    });
  });

  describe('problem types', () => {
    it('resolve to a public page describing the code, its status and what to do', async () => {
      const page = await service.http().get('/problems/milestone-not-funded').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<code>MILESTONE_NOT_FUNDED</code>');
      expect(page.text).toContain('<strong>409</strong>');
      expect(page.text).toMatch(/What it means[\s\S]*What to do/);
    });

    it('resolve for every problem this suite met, and an unknown one is a 404 problem', async () => {
      for (const type of ['/problems/stale-revision', '/problems/validation-failed', '/problems/method-not-allowed', '/problems/unsupported-media-type', '/problems/route-not-found', '/problems/not-a-party']) {
        await service.http().get(type).expect(200);
      }
      const unknown = await service.http().get('/problems/no-such-problem').expect(404);
      expect(unknown.body).toMatchObject({ code: 'PROBLEM_TYPE_NOT_FOUND', status: 404 });
      await service.http().get('/problems/%3Cscript%3E').expect(404);
    });
  });
});
