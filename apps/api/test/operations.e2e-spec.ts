import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildService } from './scenario/child-service';
import { parsePrometheusText, PrometheusSample, sampleValue } from './scenario/prometheus-text';

/**
 * The real service in a process of its own, as it runs in production: its JSON log line by line, its
 * Prometheus metrics as traffic passes, and its stop on SIGTERM with an idle keep-alive client connected
 * and requests in flight.
 */

const TOKEN = 'ops-job-board-token-0123456789abcdefghij';
const MONITORING_TOKEN = 'ops-monitoring-token-0123456789abcdefgh';
const API_CLIENTS = JSON.stringify([
  { id: 'job-board', roles: ['user'], tokens: [TOKEN] },
  { id: 'monitoring', roles: ['system', 'auditor'], tokens: [MONITORING_TOKEN] },
]);
const ACCOUNT_NUMBER = '7654321';
const client = { id: 'ops-client-1', role: 'user' };
const monitoring = { id: 'prometheus', role: 'system' };

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request on its own connection (or the agent's), with exactly the headers given. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: object, agent?: http.Agent): Promise<Answer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: agent ?? false,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const as = (actor: { id: string; role: string }, token: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  'x-actor-id': actor.id,
  'x-actor-role': actor.role,
  ...extra,
});

const offer = (key: string) =>
  ['POST', '/v1/contracts', as(client, TOKEN, { 'idempotency-key': key }), {
    clientId: client.id,
    workerId: 'ops-worker-1',
    title: 'Operations check',
    milestones: [{ title: 'Part 1', amount: 10_000, dueDate: '2027-06-30' }],
  }] as const;

describe('operations of the running service', () => {
  let dataDir: string;
  let service: ChildService;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'escrow-ops-'));
    service = await ChildService.start(dataDir, { env: { LOG_LEVEL: 'info', API_CLIENTS, SHUTDOWN_GRACE_MS: '8000' }, keepStdout: true });
  }, 60_000);
  afterAll(async () => {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const scrape = async (): Promise<PrometheusSample[]> => {
    const answer = await send(service.port, 'GET', '/metrics', as(monitoring, MONITORING_TOKEN));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(answer.text);
  };

  it('serves /metrics as Prometheus text whose counters follow the traffic', async () => {
    const before = await scrape();
    const offered = await send(service.port, ...offer('ops-offer-1'));
    expect(offered.status).toBe(201);
    const replayed = await send(service.port, ...offer('ops-offer-1'));
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    const refused = await send(service.port, 'POST', `/v1/contracts/${JSON.parse(offered.text).contractId}/accept`, as(client, TOKEN, { 'idempotency-key': 'ops-accept-1' }));
    expect(refused.status).toBe(403);
    const after = await scrape();

    const offers = { aggregate: 'contract', type: 'OfferContract', outcome: 'appended' };
    expect(sampleValue(after, 'escrow_commands_total', offers)).toBe((sampleValue(before, 'escrow_commands_total', offers) ?? 0) + 1);
    expect(sampleValue(after, 'escrow_commands_total', { aggregate: 'contract', type: 'AcceptOffer', outcome: 'refused_4xx' })).toBe(1);
    expect(sampleValue(after, 'escrow_idempotent_replays_total', { route: '/v1/contracts' })).toBe(1);
    const offerRequests = { method: 'POST', route: '/v1/contracts', status: '201' };
    expect(sampleValue(after, 'escrow_http_request_duration_seconds_count', offerRequests)).toBe(2);
    expect(sampleValue(after, 'escrow_http_request_duration_seconds_count', { method: 'POST', route: '/v1/contracts/:contractId/accept', status: '403' })).toBe(1);
    expect(sampleValue(after, 'escrow_store_commit_batch_appends_count', {})!).toBeGreaterThan(sampleValue(before, 'escrow_store_commit_batch_appends_count', {}) ?? 0);
    expect(sampleValue(after, 'escrow_store_commit_duration_seconds_count', {})!).toBeGreaterThan(0);
    const head = sampleValue(after, 'escrow_store_head_position', {})!;
    expect(head).toBeGreaterThan(0);
    expect(sampleValue(after, 'escrow_processor_position', { processor: 'ledger', kind: 'projection' })).toEqual(expect.any(Number));
    expect(sampleValue(after, 'escrow_processor_lag_events', { processor: 'wallet-credits', kind: 'reactor' })).toEqual(expect.any(Number));
    expect(sampleValue(after, 'escrow_parked_events', { reactor: 'wallet-credits' })).toBe(0);
    expect(sampleValue(after, 'escrow_sse_readers', {})).toBe(0);
    expect(sampleValue(after, 'process_resident_memory_bytes', {})).toBeGreaterThan(0);
    // Raw URLs never become labels: the route pattern does, and a path no route matches is `unmatched`.
    await send(service.port, 'GET', '/no-such-route-7f3a', as(client, TOKEN));
    const labels = (await scrape()).flatMap((sample) => Object.values(sample.labels));
    expect(labels.some((value) => value.includes(JSON.parse(offered.text).contractId) || value.includes('7f3a'))).toBe(false);
    expect(labels).toContain('unmatched');
  });

  it('refuses /metrics to every role but system and auditor', async () => {
    expect((await send(service.port, 'GET', '/metrics', {})).status).toBe(401);
    expect((await send(service.port, 'GET', '/metrics', as(client, TOKEN))).status).toBe(403);
    expect((await send(service.port, 'GET', '/metrics', as({ id: 'auditor-1', role: 'auditor' }, MONITORING_TOKEN))).status).toBe(200);
  });

  it('writes its log as one JSON object per line, an access line per request, and never a token or an account number', async () => {
    const registered = await send(
      service.port,
      'POST',
      `/v1/accounts/${client.id}/bank-accounts`,
      as(client, TOKEN, { 'x-request-id': 'ops-request-1', 'x-correlation-id': 'ops-correlation-1' }),
      { bankCode: '0036', branchCode: '251', accountNumber: ACCOUNT_NUMBER, holderName: 'ヤマダ タロウ' },
    );
    expect(registered.status).toBe(201);
    const invalid = await send(service.port, 'POST', `/v1/accounts/${client.id}/bank-accounts`, as(client, TOKEN, { 'x-request-id': 'ops-request-2' }), {
      bankCode: '36',
      branchCode: '251',
      accountNumber: `${ACCOUNT_NUMBER}0`,
      holderName: 'ヤマダ タロウ',
    });
    expect(invalid.status).toBe(400);
    const stranger = await send(service.port, 'GET', '/v1/accounts/ops-client-1/wallet', as(client, `${TOKEN}-wrong`, { 'x-request-id': 'ops-request-3' }));
    expect(stranger.status).toBe(401);
    const behind = await send(service.port, 'GET', '/v1/ledger/trial-balance?minPosition=999999', as(monitoring, MONITORING_TOKEN, { 'x-request-id': 'ops-request-4' }));
    expect(behind.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const lines = service.stdout.split('\n').filter((line) => line !== '');
    const entries = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`a log line is not JSON: ${line}`);
      }
    });
    expect(service.stdout).not.toMatch(/\x1b\[/);
    expect(service.stdout).not.toContain(TOKEN);
    expect(service.stdout).not.toContain(MONITORING_TOKEN);
    expect(service.stdout).not.toContain(ACCOUNT_NUMBER);
    expect(entries.some((entry) => entry.context === 'NestApplication')).toBe(true);

    const access = (requestId: string) => entries.find((entry) => entry.type === 'access' && entry.requestId === requestId);
    expect(access('ops-request-1')).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/v1/accounts/:accountId/bank-accounts',
      status: 201,
      durationMs: expect.any(Number),
      correlationId: 'ops-correlation-1',
      clientId: 'job-board',
      actor: { id: client.id, role: 'user' },
      time: expect.any(String),
    });
    // The log and the events name the request alike: its id is the events' causation, its correlation theirs.
    const feed = await send(service.port, 'GET', '/v1/audit/events?after=0&limit=1000', as({ id: 'auditor-1', role: 'auditor' }, MONITORING_TOKEN));
    const events = (JSON.parse(feed.text) as { data: { type: string; metadata: { causationId: string; correlationId: string } }[] }).data;
    expect(events.filter((event) => event.metadata.causationId === 'ops-request-1').map((event) => event.metadata.correlationId)).toEqual(
      expect.arrayContaining(['ops-correlation-1']),
    );
    expect(access('ops-request-2')).toMatchObject({ level: 'info', status: 400, code: 'VALIDATION_FAILED', correlationId: 'ops-request-2' });
    expect(access('ops-request-3')).toMatchObject({ level: 'warn', status: 401, code: 'UNAUTHENTICATED', clientId: null });
    expect(access('ops-request-4')).toMatchObject({ level: 'warn', status: 503, code: 'PROJECTION_BEHIND', route: '/v1/ledger/trial-balance' });
    // A client asking ahead of the read models is no fault of the service: nothing at error, no stack.
    expect(entries.filter((entry) => entry.level === 'error')).toEqual([]);
    expect(service.stdout).not.toMatch(/\n\s+at /);
  });

  it('stops on SIGTERM within 10 s with an idle keep-alive client connected, answering every request in flight', async () => {
    const keepAlive = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    expect((await send(service.port, 'GET', '/health/live', {}, undefined, keepAlive)).status).toBe(200);
    expect(keepAlive.freeSockets).not.toEqual({});

    // In flight: a read waiting for a position the read models will not reach (answered 503 after 5 s),
    // and a command whose body is still arriving when the signal comes.
    const waiting = send(service.port, 'GET', '/v1/ledger/trial-balance?minPosition=999999', as(monitoring, MONITORING_TOKEN));
    const [method, path, headers, body] = offer('ops-slow-offer');
    const payload = Buffer.from(JSON.stringify(body));
    const slow = http.request({ host: '127.0.0.1', port: service.port, method, path, agent: false, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) } });
    const slowAnswer = new Promise<Answer>((resolve, reject) => {
      slow.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
      });
      slow.on('error', reject);
    });
    slow.write(payload.subarray(0, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const signalled = Date.now();
    service.signal('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    slow.end(payload.subarray(20));

    const [waited, offered] = await Promise.all([waiting, slowAnswer]);
    await service.exited;
    const took = Date.now() - signalled;
    keepAlive.destroy();

    expect(offered.status).toBe(201);
    expect(offered.headers.connection).toBe('close');
    expect(waited.status).toBe(503);
    expect(JSON.parse(waited.text).code).toBe('PROJECTION_BEHIND');
    expect(service.exitCode).toBe(0);
    expect(took).toBeLessThan(10_000);
    // The stop is logged like everything else, and the log is still JSON to its last line.
    const lines = service.stdout.split('\n').filter((line) => line !== '');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.some((line) => /"msg":"Stopped in \d+ ms"/.test(line))).toBe(true);
  }, 30_000);
});
