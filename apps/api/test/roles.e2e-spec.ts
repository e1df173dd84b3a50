import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { ProjectionRuntime } from '../src/projections/projection-runtime';
import type { TestService } from './harness';
import { contractBetween, payOut, uniqueId, walletOf } from './wallets.fixtures';

/** One process of the service on a shared data folder, in the given ROLE. */
async function startProcess(dataDir: string, role: 'api' | 'processors'): Promise<NestFastifyApplication> {
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'fatal', ROLE: role }));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** What the wallet fixtures need of a running service. */
function facade(app: NestFastifyApplication): TestService {
  const http = () => request(app.getHttpServer());
  return {
    http,
    get: (path: string) => http().get(path).set('X-Actor-Id', 'auditor-1').set('X-Actor-Role', 'auditor'),
    post: (path: string, actor: { id: string; role: string }, body?: object) => {
      const req = http().post(path).set('X-Actor-Id', actor.id).set('X-Actor-Role', actor.role);
      return body === undefined ? req : req.send(body);
    },
  } as Partial<TestService> as TestService;
}

/**
 * A deployment split by ROLE on one data folder: the processors process keeps the read models and runs the
 * wallet credits, the API process takes every command and query and runs no processor.
 */
describe('Processes split by ROLE (e2e)', () => {
  let dataDir: string;
  let processors: NestFastifyApplication;
  let api: NestFastifyApplication;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'escrow-roles-'));
    processors = await startProcess(dataDir, 'processors');
    api = await startProcess(dataDir, 'api');
  });

  afterAll(async () => {
    await api?.close();
    await processors?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ROLE=processors answers /health and nothing else, commands included', async () => {
    const service = facade(processors);
    expect((await service.get('/health')).body.details.readModels).toEqual({ status: 'up' });
    for (const refused of [
      await service.get('/v1/projections'),
      await service.get('/docs'),
      await service.post('/v1/contracts', { id: 'client-1', role: 'user' }, { clientId: 'client-1' }),
    ]) {
      expect(refused.status).toBe(404);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.code).toBe('NOT_SERVED_BY_ROLE');
    }
  });

  it('ROLE=api takes the commands and answers the queries from the read models and credits the processors process keeps', async () => {
    const service = facade(api);
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, uniqueId('client'), workerId, [10_000]);
    const { position } = await payOut(service, contract);

    const wallet = await walletOf(service, workerId, position);
    expect(wallet.totalCredited).toBe(8_580);
    const fees = await service.get(`/v1/contracts/${contract.contractId}/fees?minPosition=${position}`).expect(200);
    expect(JSON.stringify(fees.body)).toContain('2420');

    // Exactly one process runs the wallet credits: the processors one.
    const creditsIn = (app: NestFastifyApplication) =>
      app
        .get(ProjectionRuntime)
        .reactorStatus()
        .find((reactor) => reactor.name === 'wallet-credits');
    expect(creditsIn(processors)).toMatchObject({ running: true });
    expect(creditsIn(api)).toMatchObject({ running: false });
    expect(api.get(ProjectionRuntime).projectionFailures()).toEqual([]);
    expect(api.get(ProjectionRuntime).failingSince()).toBeUndefined();
  });
});
