import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { EVENT_STORE, EventStore, RecordedEvent } from '@escrow/event-store/port';
import { createApp } from '../src/bootstrap';
import { AppConfig, loadConfig } from '../src/config/app-config';
import type { TestService } from './harness';

/**
 * The service on a data folder it can be stopped and started on, with the folder's files handled in
 * between as an operator (or an accident) would: an older copy of the log put back, another store's
 * log put in its place, a page of the log overwritten.
 */
export class DataFolderService {
  app: NestFastifyApplication | undefined;
  readonly config: AppConfig;
  readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly dataDir: string,
    settings: NodeJS.ProcessEnv = {},
  ) {
    this.env = { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', SETTLEMENT_POLICY: 'manual', BALANCE_EXPIRY_POLICY: 'manual', ...settings };
    this.config = loadConfig(this.env);
  }

  /** Starts the service; rejects as a start that is refused does. */
  async start(): Promise<this> {
    const app = await createApp(this.config);
    try {
      await app.init();
    } catch (error) {
      await app.close().catch(() => undefined);
      throw error;
    }
    await app.getHttpAdapter().getInstance().ready();
    this.app = app;
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  /** What the wallet fixtures need of a running service. */
  get service(): TestService {
    const http = () => request(this.app!.getHttpServer());
    return {
      http,
      get: (path: string) => http().get(path).set('X-Actor-Id', 'auditor-1').set('X-Actor-Role', 'auditor'),
      post: (path: string, actor: { id: string; role: string }, body?: object) => {
        const req = http().post(path).set('X-Actor-Id', actor.id).set('X-Actor-Role', actor.role);
        return body === undefined ? req : req.send(body);
      },
    } as unknown as TestService;
  }

  async log(): Promise<RecordedEvent[]> {
    return this.app!.get<EventStore>(EVENT_STORE).readAll();
  }
}

/** Polls the worker's wallet until it shows `total` credited (the credits follow the payouts). */
export async function creditedTotal(node: DataFolderService, accountId: string, total: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await node.service.get(`/v1/accounts/${accountId}/wallet`);
    if (res.status === 200 && res.body.totalCredited === total) return;
    if (Date.now() > deadline) throw new Error(`wallet ${accountId}: expected ${total} credited, got ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until every projection has applied the head of the log, and returns the trial balance. */
export async function settledTrialBalance(node: DataFolderService) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const statuses = (await node.service.get('/v1/projections').expect(200)).body.data as { position: number; headPosition: number }[];
    if (statuses.every((s) => s.position === s.headPosition)) {
      return (await node.service.get(`/v1/ledger/trial-balance?minPosition=${statuses[0].headPosition}`).expect(200)).body as {
        balanced: boolean;
        accounts: { account: string; balance: number }[];
      };
    }
    if (Date.now() > deadline) throw new Error(`projections did not settle: ${JSON.stringify(statuses)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

