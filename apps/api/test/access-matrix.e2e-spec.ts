import type { Response } from 'supertest';
import { Actor, TestService } from './harness';
import { CALLER_KINDS, CallerKind, EIGHT_DAYS_MS, PreparedRequest, ROUTE_CASES, World } from './access/route-cases';

/**
 * Every route of the OpenAPI document × every caller × every calling service: who is let through, who is
 * refused, and that a refusal appends nothing. A route missing from ROUTE_CASES fails the first test.
 */

const TOKENS = {
  user: 'job-board-token-0123456789abcdefghijkl',
  support: 'support-console-token-0123456789abcdefg',
  system: 'settlement-token-0123456789abcdefghijk',
  auditor: 'audit-token-0123456789abcdefghijklmnopq',
} as const;
const CLIENTS = [
  { id: 'job-board', roles: ['user'], tokens: [TOKENS.user] },
  { id: 'support-console', roles: ['support'], tokens: [TOKENS.support] },
  { id: 'settlement', roles: ['system'], tokens: [TOKENS.system] },
  { id: 'audit', roles: ['auditor'], tokens: [TOKENS.auditor] },
] as const;
const PUBLIC_ROUTES = new Set(['GET /health', 'GET /health/live', 'GET /health/ready']);

const STAFF_ACTORS: Record<'support' | 'system' | 'auditor', Actor> = {
  support: { id: 'support-7', role: 'support' },
  system: { id: 'settlement', role: 'system' },
  auditor: { id: 'auditor-7', role: 'auditor' },
};
const STRANGER: Actor = { id: 'stranger-1', role: 'user' };

/** Spellings of one path that a router may decode to the same route, or to none. */
function spellings(path: string): string[] {
  const rest = path.slice('/v1/'.length);
  return [
    path,
    `/%761/${rest}`,
    `/v%31/${rest}`,
    `/%76%31/${rest}`,
    `//v1/${rest}`,
    `/V1/${rest}`,
    `/v1/../v1/${rest}`,
    `/v1/./${rest}`,
    `/v1%2F${rest}`,
    `/v1/${rest.replace('/', '%2F')}`,
  ];
}

describe('route × role × calling service access matrix', () => {
  let service: TestService;
  let world: World;
  let operations: string[];

  beforeAll(async () => {
    service = await TestService.start({ env: { API_CLIENTS: JSON.stringify(CLIENTS) }, tokens: TOKENS });
    world = new World(service);
    await world.build();
    const document = (await service.http().get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
  });
  afterAll(async () => {
    jest.useRealTimers();
    await service.stop();
  });

  const actorFor = (kind: CallerKind, prepared: PreparedRequest): Actor => {
    if (kind === 'party') return prepared.party!;
    if (kind === 'stranger') return STRANGER;
    return STAFF_ACTORS[kind];
  };

  const send = (method: string, path: string, headers: Record<string, string>, body?: object) => {
    const req = method === 'GET' ? service.http().get(path) : service.http().post(path);
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return method === 'GET' ? req : req.send(body ?? {});
  };

  const call = (method: string, prepared: PreparedRequest, actor: Actor) =>
    send(method, prepared.path, { Authorization: `Bearer ${TOKENS[actor.role]}`, 'X-Actor-Id': actor.id, 'X-Actor-Role': actor.role }, prepared.body);

  const head = async () => (await service.get('/v1/audit/events?after=0&limit=1')).body.headPosition as number;

  /** Events appended after `after` by this actor: a refused call must leave none. */
  const appendedBy = async (after: number, actor: Actor) => {
    const feed = await service.get(`/v1/audit/events?after=${after}&limit=1000`);
    return (feed.body.data as { metadata: { actor: Actor } }[]).filter((event) => event.metadata.actor.id === actor.id && event.metadata.actor.role === actor.role);
  };

  const describeFailure = (operation: string, kind: string, res: Response) => `${operation} as ${kind}: ${res.status} ${JSON.stringify(res.body)}`;

  it('covers every operation of the OpenAPI document, and no other', () => {
    expect(operations.filter((operation) => !PUBLIC_ROUTES.has(operation)).sort()).toEqual(Object.keys(ROUTE_CASES).sort());
  });

  it('keeps the public routes open', async () => {
    for (const operation of PUBLIC_ROUTES) await service.http().get(operation.split(' ')[1]).expect(200);
  });

  /** One request for each route, prepared before anything is measured. */
  const preparedForEveryRoute = async () => {
    const prepared: [string, PreparedRequest][] = [];
    for (const operation of Object.keys(ROUTE_CASES)) prepared.push([operation, await ROUTE_CASES[operation].prepare(world, 'stranger')]);
    return prepared;
  };

  it('answers 401 without a token on every route, however its path is spelled, and appends nothing', async () => {
    const requests = await preparedForEveryRoute();
    const before = await head();
    const wrong: string[] = [];
    for (const [operation, prepared] of requests) {
      const [method] = operation.split(' ');
      for (const path of spellings(prepared.path)) {
        const res = await send(method, path, { 'X-Actor-Id': 'settlement', 'X-Actor-Role': 'system' }, prepared.body);
        if (res.status !== 401 || res.body.code !== 'UNAUTHENTICATED') wrong.push(`${method} ${path}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await appendedBy(before, { id: 'settlement', role: 'system' })).toEqual([]);
  });

  it('refuses with 403 ROLE_NOT_GRANTED every role a calling service may not assert, on every route, and appends nothing', async () => {
    const requests = await preparedForEveryRoute();
    const before = await head();
    const wrong: string[] = [];
    for (const [operation, prepared] of requests) {
      const [method] = operation.split(' ');
      for (const client of CLIENTS) {
        for (const role of ['user', 'support', 'system', 'auditor'] as const) {
          if ((client.roles as readonly string[]).includes(role)) continue;
          const res = await send(method, prepared.path, { Authorization: `Bearer ${client.tokens[0]}`, 'X-Actor-Id': 'someone', 'X-Actor-Role': role }, prepared.body);
          if (res.status !== 403 || res.body.code !== 'ROLE_NOT_GRANTED') wrong.push(`${operation} by ${client.id} as ${role}: ${res.status} ${res.body.code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect((await service.get(`/v1/audit/events?after=${before}&limit=1000`)).body.data.filter((e: { metadata: { actor: Actor } }) => e.metadata.actor.id === 'someone')).toEqual([]);
  });

  it('lets through exactly the allowed callers of every route, and refuses every other one with 403 and nothing appended', async () => {
    const wrong: string[] = [];
    for (const [operation, routeCase] of Object.entries(ROUTE_CASES)) {
      const [method] = operation.split(' ');
      const refusedKinds = CALLER_KINDS.filter((kind) => !routeCase.allowed.includes(kind));
      const shared = await routeCase.prepare(world, 'stranger');
      for (const kind of refusedKinds) {
        if (kind === 'party' && shared.party === undefined) continue;
        const actor = actorFor(kind, shared);
        const before = await head();
        const res = await call(method, shared, actor);
        if (res.status !== 403 || !/problem\+json/.test(res.headers['content-type'])) wrong.push(`refused ${describeFailure(operation, kind, res)}`);
        else if ((await appendedBy(before, actor)).length > 0) wrong.push(`${operation} as ${kind}: refused but appended`);
      }
      for (const kind of routeCase.allowed) {
        const prepared = await routeCase.prepare(world, kind);
        const late = (operation.endsWith('/inspect') && kind === 'support') || operation.endsWith('/dispute');
        // Support may inspect only once the client has been silent 7 days after the delivery, and a client disputes a week's
        // hours in its review window, which opens the Tuesday after the work week: the service's clock is moved on for that call.
        if (late) service.clock.advance(EIGHT_DAYS_MS);
        try {
          const res = await call(method, prepared, actorFor(kind, prepared));
          if (res.status !== routeCase.status) wrong.push(`allowed ${describeFailure(operation, kind, res)}`);
        } finally {
          if (late) service.clock.advance(-EIGHT_DAYS_MS);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets a user read the escrow account of a contract they are party to, and no other ledger account', async () => {
    const escrow = { path: `/v1/ledger/accounts/escrow:${world.contract.contractId}` };
    await call('GET', escrow, world.contract.client).expect(200);
    await call('GET', escrow, world.contract.worker).expect(200);
    expect((await call('GET', escrow, STRANGER).expect(403)).body.code).toBe('NOT_A_PARTY');
    expect((await call('GET', { path: '/v1/ledger/accounts/fee-revenue' }, world.contract.client).expect(403)).body.code).toBe('NOT_A_PARTY');
  });
});
