import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { ProjectionRuntime } from '../src/projections/projection-runtime';
import { ShutdownCoordinator } from '../src/observability/shutdown';
import { TestService } from './harness';

describe('liveness and readiness', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('answers /health/live with the process alive, to anyone, without credentials', async () => {
    expect((await service.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('answers /health/ready as /health: the store, the processors within their lag, integrity, the writers', async () => {
    const ready = (await service.http().get('/health/ready').expect(200)).body;
    const health = (await service.http().get('/health').expect(200)).body;
    expect(Object.keys(ready.details).sort()).toEqual(Object.keys(health.details).sort());
    expect(Object.keys(ready.details).sort()).toEqual(['eventStore', 'idempotencyRecords', 'integrity', 'notary', 'processorLag', 'processors', 'readModels', 'shutdown']);
    // Staff see the figures: the allowed lag and the head it is measured from.
    const detailed = (await service.get('/health/ready').expect(200)).body;
    expect(detailed.details.processorLag).toMatchObject({ status: 'up', maxLagEvents: 10_000, headPosition: expect.any(Number), behind: [] });
  });

  it('takes the instance out of rotation as soon as it is stopping, while it still lives', async () => {
    await service.app.get(ShutdownCoordinator).begin();
    const ready = await service.http().get('/health/ready').expect(503);
    expect(ready.body.details.shutdown).toEqual({ status: 'down' });
    expect(ready.headers.connection).toBe('close');
    await service.http().get('/health').expect(503);
    await service.http().get('/health/live').expect(200);
  });
});

describe('readiness with processors behind the log', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start({ env: { READY_MAX_LAG_EVENTS: '0' } });
  });
  afterAll(() => service.stop());

  it('is not ready while a processor running here trails the head by more than READY_MAX_LAG_EVENTS', async () => {
    await service.get('/health/ready').expect(200);
    // The processors stop where they are (as when one is stuck); the log moves on without them.
    await service.app.get(ProjectionRuntime).beforeApplicationShutdown();
    const store = service.app.get<EventStore>(EVENT_STORE);
    await store.append('lag-check-1', [{ id: randomUUID(), type: 'LagChecked', data: {}, metadata: { schemaVersion: 1, occurredAt: new Date().toISOString(), actor: { id: 'ops', role: 'system' }, correlationId: 'c', causationId: 'c' } }], 'no_stream');
    const ready = await service.get('/health/ready').expect(503);
    expect(ready.body.details.processorLag).toMatchObject({ status: 'down', maxLagEvents: 0, behind: expect.arrayContaining([expect.objectContaining({ name: 'ledger', kind: 'projection', lag: 1 }), expect.objectContaining({ name: 'wallet-credits', kind: 'reactor', lag: 1 })]) });
    expect(ready.body.details.integrity).toEqual({ status: 'up' });
    await service.http().get('/health/live').expect(200);
  });
});

describe('readiness while the projections\' thread is dead', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start();
  });
  afterAll(() => service.stop());

  it('is not ready from the moment the thread dies, and ready again once it runs again and has caught up', async () => {
    await service.get('/health/ready').expect(200);
    const runtime = service.app.get(ProjectionRuntime);
    // As an uncaught error or an out-of-memory would leave it: the thread gone without a word.
    await (runtime as unknown as { thread: { worker: { terminate(): Promise<number> } } }).thread.worker.terminate();
    const store = service.app.get<EventStore>(EVENT_STORE);
    const { position } = await store.append('dead-thread-1', [{ id: randomUUID(), type: 'ThreadChecked', data: {}, metadata: { schemaVersion: 1, occurredAt: new Date().toISOString(), actor: { id: 'ops', role: 'system' }, correlationId: 'c', causationId: 'c' } }], 'no_stream');
    const down = await service.get('/health/ready').expect(503);
    expect(down.body.details.readModels).toMatchObject({ status: 'down', failingSince: expect.any(String) });

    // Started again after a second; it goes on from the committed checkpoints.
    await expect(runtime.waitFor(position, { timeoutMs: 15_000 })).resolves.toBe(true);
    const up = await service.get('/health/ready').expect(200);
    expect(up.body.details.readModels).toMatchObject({ status: 'up' });
  });
});
