import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ControllableClock } from '@escrow/clock';
import { createApp } from '../src/bootstrap';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { validated } from './openapi/validated-responses';

/**
 * The harness runs the policies the tests written before the timers assume: they post /payout and /wallet/expire
 * themselves, a termination request stays open until it is answered and a delivery waits for its client or support. A test of the timers names its policy (`env: { SETTLEMENT_POLICY: 'immediate' }`), and the scheduler
 * looks for due timers every 50 ms so that a moved clock is seen promptly.
 */
const MANUAL_SETTLEMENT = {
  SETTLEMENT_POLICY: 'manual',
  BALANCE_EXPIRY_POLICY: 'manual',
  AUTOMATIC_WITHDRAWALS: 'off',
  TERMINATION_AUTO_COMPLETE_AFTER: 'off',
  AUTO_INSPECTION_AFTER: 'off',
  SCHEDULER_POLL_MS: '50',
};

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** The agent with each request it makes checked. */
function checkedAgent(agent: ReturnType<typeof request>): ReturnType<typeof request> {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !HTTP_METHODS.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) => validated((value as (...a: unknown[]) => request.Test).apply(target, args));
    },
  });
}

/**
 * A running service on a fresh embedded store in a temporary folder, restartable on the same data. Its clock is the
 * test's: it runs with the system's time until a test moves it (`service.clock.advance('P8D')`, `set(instant)`), and
 * every command time, recordedAt, expiry and idempotency record follows it, across restarts too.
 */
export class TestService {
  app!: NestFastifyApplication;
  config: AppConfig;

  private constructor(
    readonly dataDir: string,
    readonly clock: ControllableClock,
    private readonly env: Record<string, string>,
    /** With API_CLIENTS set: the bearer token sent for each role the tests assert. */
    private readonly tokens: Partial<Record<Actor['role'], string>>,
  ) {
    this.config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error', ...MANUAL_SETTLEMENT, ...env });
  }

  /** `clock`: where the service's clock starts (the system's time by default); it runs on from there. */
  static async start(options: { env?: Record<string, string>; tokens?: Partial<Record<Actor['role'], string>>; clock?: Date | string } = {}): Promise<TestService> {
    const clock = ControllableClock.running(options.clock);
    const service = new TestService(mkdtempSync(join(tmpdir(), 'escrow-e2e-')), clock, options.env ?? {}, options.tokens ?? {});
    await service.boot();
    return service;
  }

  private async boot(): Promise<void> {
    this.app = await createApp(this.config, { clock: this.clock });
    await this.app.init();
    await this.app.getHttpAdapter().getInstance().ready();
  }

  /** Stops the application (closing the store) and starts a new one on the same data folder, with `env` changed. */
  async restart(env: Record<string, string> = {}): Promise<void> {
    await this.app.close();
    this.config = loadConfig({ DATA_DIR: this.dataDir, PORT: '0', LOG_LEVEL: 'error', ...MANUAL_SETTLEMENT, ...this.env, ...env });
    await this.boot();
  }

  async stop(): Promise<void> {
    await this.app.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Requests to the service; every response is checked against the OpenAPI document (see openapi/validated-responses). */
  http(): ReturnType<typeof request> {
    return checkedAgent(request(this.app.getHttpServer()));
  }

  /** A POST as the given actor; `key` sets the Idempotency-Key. */
  post(path: string, actor: Actor, body?: object, headers: Record<string, string> = {}) {
    const req = this.as(this.http().post(path), actor);
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return body === undefined ? req : req.send(body);
  }

  /** A GET as the given reader; by default an auditor, who reads everything. */
  get(path: string, actor: Actor = auditor) {
    return this.as(this.http().get(path), actor);
  }

  private as(req: request.Test, actor: Actor): request.Test {
    const token = this.tokens[actor.role];
    if (token !== undefined) req.set('Authorization', `Bearer ${token}`);
    return req.set('X-Actor-Id', actor.id).set('X-Actor-Role', actor.role);
  }
}

export interface Actor {
  id: string;
  role: 'user' | 'support' | 'system' | 'auditor';
}

export const client: Actor = { id: 'client-1', role: 'user' };
export const worker: Actor = { id: 'worker-1', role: 'user' };
export const support: Actor = { id: 'support-1', role: 'support' };
export const settlement: Actor = { id: 'settlement', role: 'system' };
export const auditor: Actor = { id: 'auditor-1', role: 'auditor' };

/** Ex-tax amounts whose grosses at 10% are ¥50,000, ¥30,000 and ¥50,000 (SPEC's milestone example). */
export const THREE_MILESTONES = [
  { title: 'Wireframes', amount: 45455, dueDate: '2026-12-15' },
  { title: 'Visual design', amount: 27273, dueDate: '2027-01-15' },
  { title: 'Implementation', amount: 45455, dueDate: '2027-02-15' },
];

export async function offerContract(service: TestService, milestones = THREE_MILESTONES) {
  const res = await service.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Website redesign', milestones });
  if (res.status !== 201) throw new Error(`offer failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { contractId: string; revision: number; milestones: { milestoneId: string; gross: number | null }[] };
}

/** Offers and accepts a contract, then prepays every milestone. */
export async function fundedContract(service: TestService, milestones = THREE_MILESTONES) {
  const offered = await offerContract(service, milestones);
  const id = offered.contractId;
  await service.post(`/v1/contracts/${id}/accept`, worker).expect(200);
  for (const [i, m] of offered.milestones.entries()) {
    await service.post(`/v1/contracts/${id}/milestones/${m.milestoneId}/prepay`, client, { paymentReference: `pay-${id}-${i}`, method: 'card' }).expect(200);
  }
  return offered;
}
