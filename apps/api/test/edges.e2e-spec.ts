import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { deliverableUri, freeText } from '@escrow/domain/shared/field-rules';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { Actor, client, support, THREE_MILESTONES, worker } from './harness';

/** A service listening on a real port, with the HTTP limits given, so that raw sockets can reach its edges. */
class ListeningService {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async start(limits: Record<string, string>): Promise<ListeningService> {
    const dataDir = mkdtempSync(join(tmpdir(), 'escrow-edges-'));
    const app = await createApp(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error', ...limits }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return new ListeningService(app, (app.getHttpServer().address() as AddressInfo).port, dataDir);
  }

  async stop(): Promise<void> {
    await this.app.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  http() {
    return request(`http://127.0.0.1:${this.port}`);
  }

  post(path: string, actor: Actor, body?: object) {
    const req = this.http().post(path).set('X-Actor-Id', actor.id).set('X-Actor-Role', actor.role);
    return body === undefined ? req : req.send(body);
  }

  /** Reads as support, who may read everything. */
  read(path: string) {
    return this.http().get(path).set('X-Actor-Id', support.id).set('X-Actor-Role', support.role);
  }

  async auditHead(): Promise<number> {
    return (await this.read('/v1/audit/events?after=0&limit=1').expect(200)).body.headPosition as number;
  }

  async revisionOf(contractId: string): Promise<number> {
    return (await this.read(`/v1/contracts/${contractId}`).expect(200)).body.revision as number;
  }
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** Milliseconds from the first byte sent to the server closing the connection. */
  closedAfterMs: number;
}

/** Sends bytes as they are (no client library fixes them up) and reads the answer until the server closes. */
function rawExchange(port: number, parts: { text: string; afterMs?: number }[]): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timers: NodeJS.Timeout[] = [];
    const started = Date.now();
    socket.on('connect', () => {
      for (const part of parts) timers.push(setTimeout(() => socket.writable && socket.write(part.text), part.afterMs ?? 0));
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      timers.forEach(clearTimeout);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const status = Number(statusLine.split(' ')[1]);
      if (!status) return reject(new Error(`no HTTP answer before the connection closed: ${JSON.stringify(text)}`));
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status, headers, body: JSON.parse(rest.join('\r\n\r\n')), closedAfterMs: Date.now() - started });
    });
  });
}

const expectProblem = (answer: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code: string) => {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ status, code, type: `/problems/${code.toLowerCase().replace(/_/g, '-')}` });
};

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('the edges of the HTTP server', () => {
  let service: ListeningService;
  let contractId: string;
  let milestoneId: string;

  beforeAll(async () => {
    service = await ListeningService.start({
      HTTP_HEADERS_TIMEOUT_MS: '300',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
      HTTP_BODY_LIMIT_BYTES: '65536',
      HTTP_MAX_URL_LENGTH: '2048',
    });
    const offered = await service
      .post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Website redesign', milestones: THREE_MILESTONES })
      .expect(201);
    contractId = offered.body.contractId;
    milestoneId = offered.body.milestones[0].milestoneId;
    await service.post(`/v1/contracts/${contractId}/accept`, worker).expect(200);
    await service.post(`/v1/contracts/${contractId}/milestones/${milestoneId}/prepay`, client, { paymentReference: 'pay-edges-1', method: 'card' }).expect(200);
  });
  afterAll(() => service.stop());

  /** Runs the refused requests and checks that the log did not move. */
  const appendsNothing = async (refused: () => Promise<void>) => {
    const [head, revision] = [await service.auditHead(), await service.revisionOf(contractId)];
    await refused();
    expect(await service.auditHead()).toBe(head);
    expect(await service.revisionOf(contractId)).toBe(revision);
  };

  describe('bodies', () => {
    it('answers a body nested 2,000 levels deep with 400 BODY_TOO_DEEP, not 500', async () => {
      await appendsNothing(async () => {
        for (const body of [nested(2000), `{"clientId":"c","workerId":"w","title":"t","milestones":${nested(40)}}`]) {
          const res = await service.post('/v1/contracts', client).set('content-type', 'application/json').send(body);
          expectProblem(res, 400, 'BODY_TOO_DEEP');
        }
        const deepReason = `{"reason":"x","splits":${nested(33)}}`;
        expectProblem(await service.post(`/v1/contracts/${contractId}/termination`, support).set('content-type', 'application/json').send(deepReason), 400, 'BODY_TOO_DEEP');
      });
    });

    it('answers a body over the limit with 413, malformed JSON and prototype keys with 400', async () => {
      await appendsNothing(async () => {
        const large = JSON.stringify({ reason: 'x'.repeat(70_000) });
        expectProblem(await service.post(`/v1/contracts/${contractId}/termination`, client).set('content-type', 'application/json').send(large), 413, 'PAYLOAD_TOO_LARGE');
        expectProblem(await service.post('/v1/contracts', client).set('content-type', 'application/json').send('{"title":'), 400, 'MALFORMED_BODY');
        expectProblem(await service.post('/v1/contracts', client).set('content-type', 'application/json').send('{"__proto__":{"admin":true}}'), 400, 'MALFORMED_BODY');
      });
    });

    it('answers a body that is not JSON with 415', async () => {
      await appendsNothing(async () => {
        const res = await service.post(`/v1/contracts/${contractId}/termination`, client).set('content-type', 'text/plain').send('reason=stop');
        expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
        expectProblem(await service.post('/v1/contracts', client).set('content-type', 'application/x-www-form-urlencoded').send('title=x'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      });
    });
  });

  describe('routes and URLs', () => {
    it('answers an unknown route with 404 ROUTE_NOT_FOUND and a known path with another method with 405 and Allow', async () => {
      expectProblem(await service.read('/v2/contracts'), 404, 'ROUTE_NOT_FOUND');
      const notAllowed: [string, string, string][] = [
        // Offers are POSTed and the contract search is a GET on the same path.
        ['delete', '/v1/contracts', 'GET, HEAD, POST'],
        ['put', `/v1/contracts/${contractId}`, 'GET, HEAD'],
        ['get', `/v1/contracts/${contractId}/accept`, 'POST'],
        ['patch', '/health', 'GET, HEAD'],
      ];
      await appendsNothing(async () => {
        for (const [method, path, allow] of notAllowed) {
          const res = await service.http()[method as 'get'](path).set('X-Actor-Id', client.id).set('X-Actor-Role', client.role);
          expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
          expect(res.headers.allow).toBe(allow);
        }
      });
    });

    it('answers a bad percent-encoding in the path with 400 INVALID_URL_ENCODING', async () => {
      for (const path of ['/v1/contracts/%E0%A4%A', '/v1/contracts/%FF', `/v1/contracts/${contractId}/milestones/%C0%AF/prepay`]) {
        expectProblem(await rawExchange(service.port, [{ text: `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n` }]), 400, 'INVALID_URL_ENCODING');
      }
    });

    it('answers an over-long URL with 414, over-long headers with 431 and broken HTTP with 400, all with a code', async () => {
      await appendsNothing(async () => {
        expectProblem(await service.read(`/v1/contracts/${'a'.repeat(600)}`), 414, 'URI_TOO_LONG');
        expectProblem(await service.read(`/v1/audit/events?after=0&pad=${'a'.repeat(3000)}`), 414, 'URI_TOO_LONG');
        const longPath = `/v1/contracts/${contractId}/milestones/${milestoneId}/prepay?${'p'.repeat(3000)}`;
        expectProblem(await service.post(longPath, client, { paymentReference: 'pay-long', method: 'card' }), 414, 'URI_TOO_LONG');
        const hugeHeader = `GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`;
        expectProblem(await rawExchange(service.port, [{ text: hugeHeader }]), 431, 'HEADERS_TOO_LARGE');
        expectProblem(await rawExchange(service.port, [{ text: 'HELLO THERE\r\n\r\n' }]), 400, 'MALFORMED_REQUEST');
      });
    });
  });

  describe('deadlines', () => {
    it('cuts off a client trickling its headers at the configured header timeout, with 408', async () => {
      const trickle = [{ text: 'GET /health HTTP/1.1\r\nHost: x\r\n' }, ...Array.from({ length: 40 }, (_, i) => ({ text: `X-Slow-${i}: y\r\n`, afterMs: 100 * (i + 1) }))];
      const answer = await rawExchange(service.port, trickle);
      expectProblem(answer, 408, 'REQUEST_TIMEOUT');
      expect(answer.closedAfterMs).toBeGreaterThanOrEqual(300);
      // The trickle would go on for 4 s; the default of 10 s (or Node's own 60 s) would have let it finish.
      expect(answer.closedAfterMs).toBeLessThan(4000);
    });

    it('cuts off a client trickling its body at the configured request timeout, appending nothing', async () => {
      await appendsNothing(async () => {
        const body = JSON.stringify({ reason: 'too slow to arrive' });
        const head =
          `POST /v1/contracts/${contractId}/termination HTTP/1.1\r\nHost: x\r\nX-Actor-Id: ${client.id}\r\nX-Actor-Role: user\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
        const parts = [{ text: head }, ...[...body].map((char, i) => ({ text: char, afterMs: 200 * (i + 1) }))];
        const answer = await rawExchange(service.port, parts);
        expectProblem(answer, 408, 'REQUEST_TIMEOUT');
        expect(answer.closedAfterMs).toBeGreaterThanOrEqual(1000);
      });
    });

    it('closes an idle keep-alive connection after the configured keep-alive timeout', async () => {
      const answer = await rawExchange(service.port, [{ text: 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n' }]);
      expect(answer.status).toBe(200);
      expect(answer.headers['keep-alive']).toBe('timeout=1');
      expect(answer.closedAfterMs).toBeGreaterThanOrEqual(1000);
    });
  });

  describe('free text', () => {
    const badTexts: [string, string][] = [
      ['NUL', 'Logo\u0000design'],
      ['escape', 'Logo\u001b[2Jdesign'],
      ['carriage return', 'Logo\rdesign'],
      ['C1 control', 'Logo\u0085design'],
      ['lone high surrogate', 'Logo \ud800 design'],
      ['lone low surrogate', 'Logo \udc00 design'],
    ];

    it.each(badTexts)('refuses a %s in a title, naming the field and the rule in the domain\'s words', async (_, text) => {
      await appendsNothing(async () => {
        const res = await service.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: text, milestones: THREE_MILESTONES });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors).toEqual([{ field: 'title', rule: 'freeText', message: freeText(text, 'title')!.message }]);
      });
    });

    it('refuses control characters in every free-text field of the commands', async () => {
      const nul = 'x\u0000y';
      const m = `/v1/contracts/${contractId}/milestones/${milestoneId}`;
      const cases: [string, Actor, object, string][] = [
        ['/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 't', milestones: [{ ...THREE_MILESTONES[0], title: nul }] }, 'milestones[0].title'],
        [`${m}/deliver`, worker, { deliverables: [], message: nul }, 'message'],
        [`${m}/request-revision`, client, { reason: nul }, 'reason'],
        [`${m}/refund`, support, { reason: nul }, 'reason'],
        [`/v1/contracts/${contractId}/termination`, client, { reason: nul }, 'reason'],
        [`/v1/contracts/${contractId}/terms-changes`, client, { changes: [], reason: nul }, 'reason'],
        [`/v1/contracts/${contractId}/contact-reminders`, client, { message: nul }, 'message'],
        [`/v1/contracts/${contractId}/milestones/${milestoneId}/prepay`, client, { paymentReference: nul, method: 'card' }, 'paymentReference'],
        [`/v1/accounts/${worker.id}/bank-accounts`, worker, { bankCode: '0036', branchCode: '251', accountNumber: '1234567', holderName: nul }, 'holderName'],
        [`/v1/accounts/${worker.id}/close`, worker, { reason: nul }, 'reason'],
        ['/v1/withdrawals/wd-1/reject', support, { reason: nul }, 'reason'],
        ['/v1/withdrawals/wd-1/paid', { id: 'gateway', role: 'system' }, { transferReference: nul }, 'transferReference'],
      ];
      await appendsNothing(async () => {
        for (const [path, actor, body, field] of cases) {
          const res = await service.post(path, actor, body);
          expectProblem(res, 400, 'VALIDATION_FAILED');
          expect({ path, errors: res.body.errors }).toEqual({ path, errors: [expect.objectContaining({ field, rule: 'freeText' })] });
        }
      });
    });

    it('keeps newlines, tabs and every script', async () => {
      await service.post(`/v1/contracts/${contractId}/contact-reminders`, client, { message: 'ご確認ください。\n\t- 納期 😀' }).expect(201);
    });
  });

  describe('deliverable URIs', () => {
    it('refuses javascript:, data:, file:, ftp: and http: off loopback, naming the field', async () => {
      const path = `/v1/contracts/${contractId}/milestones/${milestoneId}/deliver`;
      await appendsNothing(async () => {
        for (const uri of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://files.example.com/a.zip', 'http://files.example.com/a.zip', 'https://user:pw@files.example.com/a.zip']) {
          const res = await service.post(path, worker, { deliverables: [{ uri: 'https://files.example.com/ok.zip' }, { uri }] });
          expectProblem(res, 400, 'VALIDATION_FAILED');
          expect(res.body.errors).toEqual([{ field: 'deliverables[1].uri', rule: 'deliverableUri', message: deliverableUri(uri, 'uri')!.message }]);
        }
      });
    });

    it('accepts https: and http: on a loopback host', async () => {
      const other = await service.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Local build', milestones: THREE_MILESTONES.slice(0, 1) }).expect(201);
      const id = other.body.contractId;
      const m = other.body.milestones[0].milestoneId;
      await service.post(`/v1/contracts/${id}/accept`, worker).expect(200);
      await service.post(`/v1/contracts/${id}/milestones/${m}/prepay`, client, { paymentReference: 'pay-edges-local', method: 'card' }).expect(200);
      const uris = ['https://files.example.com/a.zip', 'http://localhost:8080/a.zip', 'http://127.0.0.1/a.zip', 'http://[::1]:3000/a.zip'];
      await service.post(`/v1/contracts/${id}/milestones/${m}/deliver`, worker, { deliverables: uris.map((uri) => ({ uri })) }).expect(200);
    });
  });

  describe('dates', () => {
    it('refuses dates the calendar does not have and dates out of bounds, wherever a date or instant is accepted', async () => {
      const offer = (dueDate: string) => ({ clientId: client.id, workerId: worker.id, title: 't', milestones: [{ ...THREE_MILESTONES[0], dueDate }] });
      await appendsNothing(async () => {
        for (const dueDate of ['0000-01-01', '2027-02-30', '1999-12-31', '2101-01-01']) {
          const res = await service.post('/v1/contracts', client, offer(dueDate));
          expectProblem(res, 400, 'VALIDATION_FAILED');
          expect(res.body.errors).toEqual([expect.objectContaining({ field: 'milestones[0].dueDate', rule: 'calendarDate' })]);
        }
        const change = await service.post(`/v1/contracts/${contractId}/terms-changes`, client, { changes: [{ milestoneId, dueDate: '2027-02-30' }] });
        expect(change.body.errors).toEqual([expect.objectContaining({ field: 'changes[0].dueDate', rule: 'calendarDate' })]);
        const expire = await service.post(`/v1/accounts/${worker.id}/wallet/expire`, { id: 'expiry-job', role: 'system' }, { asOf: '2027-02-30T00:00:00Z' });
        expect(expire.body.errors).toEqual([expect.objectContaining({ field: 'asOf', rule: 'instant' })]);
      });
      const reads: [string, string, string][] = [
        [`/v1/contracts/${contractId}/history?asOf=2027-02-30`, 'asOf', 'revisionOrInstant'],
        [`/v1/contracts/${contractId}/history?asOf=0000-01-01T00:00:00Z`, 'asOf', 'revisionOrInstant'],
        ['/v1/ledger/trial-balance?asOf=2027-02-30T00:00:00Z', 'asOf', 'positionOrInstant'],
        ['/v1/ledger/trial-balance?asOf=1969-12-31T23:59:59Z', 'asOf', 'positionOrInstant'],
        ['/v1/fees/revenue?from=2027-02-30', 'from', 'format'],
        ['/v1/fees/revenue?by=month&to=0000-01', 'to', 'format'],
      ];
      for (const [path, field, rule] of reads) {
        const res = await service.read(path);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect({ path, errors: res.body.errors }).toEqual({ path, errors: [expect.objectContaining({ field, rule })] });
      }
      await service.read(`/v1/contracts/${contractId}/history?asOf=2026-02-28`).expect(200);
      await service.read(`/v1/contracts/${contractId}/history?asOf=2100-12-31T23:59:59%2B00:00`).expect(200);
    });
  });

  describe('fields a role may not send', () => {
    it('refuses a user\'s termination request carrying splits, and a user\'s reason on inspect, naming the field', async () => {
      await appendsNothing(async () => {
        const termination = await service.post(`/v1/contracts/${contractId}/termination`, client, { reason: 'stop', splits: [{ milestoneId, payOutGross: 1000 }] });
        expectProblem(termination, 400, 'VALIDATION_FAILED');
        expect(termination.body.errors).toEqual([{ field: 'splits', rule: 'notAllowedForRole', message: expect.stringContaining('support') }]);
        const inspect = await service.post(`/v1/contracts/${contractId}/milestones/${milestoneId}/inspect`, client, { reason: 'looks good' });
        expect(inspect.body.errors).toEqual([expect.objectContaining({ field: 'reason', rule: 'notAllowedForRole' })]);
      });
    });

    it('still takes splits from support', async () => {
      const before = await service.revisionOf(contractId);
      await service.post(`/v1/contracts/${contractId}/termination`, support, { reason: 'dispute settled', splits: [{ milestoneId, payOutGross: 0 }] }).expect(200);
      expect(await service.revisionOf(contractId)).toBeGreaterThan(before);
    });
  });
});

describe('the connection cap', () => {
  let service: ListeningService;
  beforeAll(async () => {
    service = await ListeningService.start({ HTTP_MAX_CONNECTIONS: '4', HTTP_KEEP_ALIVE_TIMEOUT_MS: '60000' });
  });
  afterAll(() => service.stop());

  /** Opens a connection and completes one keep-alive request on it, so the server has surely counted it. */
  const heldConnection = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = connect(service.port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'));
      socket.once('data', (chunk) => (chunk.toString().startsWith('HTTP/1.1 200') ? resolve(socket) : reject(new Error(chunk.toString()))));
      socket.on('error', reject);
    });

  /** What a new connection gets: the server's answer to a request, or nothing before it is closed. */
  const newConnection = (): Promise<string> =>
    new Promise((resolve) => {
      let received = '';
      const socket = connect(service.port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(received));
    });

  it('refuses the (cap+1)-th concurrent connection and takes new ones once a connection is freed', async () => {
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await heldConnection());
    expect(await newConnection()).toBe('');
    const freed = held.pop()!;
    await new Promise<void>((resolve) => {
      freed.once('close', () => resolve());
      freed.destroy();
    });
    // The server learns of the close a moment after the client; a refused attempt in between is retried.
    let answer = '';
    for (let attempt = 0; attempt < 20 && answer === ''; attempt++) answer = await newConnection();
    expect(answer).toMatch(/^HTTP\/1.1 200/);
    held.forEach((socket) => socket.destroy());
  });
});
