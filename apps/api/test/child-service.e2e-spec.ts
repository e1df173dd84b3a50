import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ChildService, freePort } from './scenario/child-service';
import { expectStatus } from './scenario/http-client';

/**
 * The port the harness found free can be bound by another process (a service started by a test running beside
 * this one) before the child binds it. The child then fails to start, and a harness that took any health answer
 * on the port would send every later request to that other service: commands of contracts it never saw answer
 * 404, retried keys it saw with other requests answer 422. A started service must be the child on its own log.
 */
describe('a child service whose port another service took first', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'escrow-port-taken-'));
  let other: Server;
  let takenPort: number;
  let service: ChildService | undefined;

  beforeAll(async () => {
    takenPort = await freePort();
    // Answers like the service, on another log.
    other = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url?.startsWith('/health')) {
        response.end(JSON.stringify({ status: 'ok', details: { eventStore: { status: 'up', storeId: 'another-log', headPosition: 0 } } }));
        return;
      }
      response.statusCode = 404;
      response.end(JSON.stringify({ code: 'CONTRACT_NOT_FOUND' }));
    });
    await new Promise<void>((resolve) => other.listen(takenPort, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await service?.stop();
    await new Promise((resolve) => other.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on another port, and answers for the log in its own data directory', async () => {
    service = await ChildService.start(dataDir, { port: takenPort });
    expect(service.port).not.toBe(takenPort);
    expect(service.running).toBe(true);
    const health = await expectStatus<{ details: { eventStore: { storeId: string } } }>(service.http.get('/health'), 200, 'health');
    const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
    const storeId = db.prepare<[], string>("SELECT value FROM store_metadata WHERE key = 'store_id'").pluck().get();
    db.close();
    expect(health.details.eventStore.storeId).toBe(storeId);
  }, 90_000);
});
