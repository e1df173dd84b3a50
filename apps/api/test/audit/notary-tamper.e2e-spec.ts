import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@escrow/event-store/port';
import { EVENT_STORE_FILE } from '../../src/store/storage-files';
import { ChildService } from '../scenario/child-service';
import { expectStatus } from '../scenario/http-client';
import { MarketplaceScenario } from '../scenario/marketplace';
import { SeededRandom } from '../scenario/random';
import { settledHead } from '../scenario/event-log';
import { overwriteOnceInFile, publishedHeadCovering } from '../scenario/notary';
import { rebuildProjections, TamperedLogError } from '../../../../scripts/projections-rebuild';

const client = { id: 'tamper-client', role: 'user' as const };
const worker = { id: 'tamper-worker', role: 'user' as const };
const TITLE = 'Notarised logo for the tamper check';

describe('the notary notices an event edited in the log file', () => {
  let dataDir: string;
  let service: ChildService | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'escrow-tamper-'));
  });
  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails readiness naming the position, lists it in /v1/audit/integrity, and publishes no more heads', async () => {
    const env = { AUDIT_TREE_HEAD_MAX_DELAY_MS: '50' };
    service = await ChildService.start(dataDir, { env });
    await new MarketplaceScenario(service.http, new SeededRandom(11), { contracts: 4, concurrency: 2, clients: 3, workers: 3, withdrawalChance: 0 }).run();
    const offer = { clientId: client.id, workerId: worker.id, title: TITLE, milestones: [{ title: 'Logo', amount: 10_000, dueDate: '2026-12-31' }] };
    await expectStatus(service.http.post('/v1/contracts', client, offer), 201, 'offer');
    const head = await settledHead(service.http);
    const events = (await expectStatus<{ data: RecordedEvent[] }>(service.http.get('/v1/audit/events?limit=1000'), 200, 'events')).data;
    const target = events.find((event) => event.data.title === TITLE)!;
    await publishedHeadCovering(service.http, head);
    await service.stop();

    // Everything in the main file first, then one byte of the event's data changed in place, under SQLite's feet.
    const at = overwriteOnceInFile(join(dataDir, EVENT_STORE_FILE), Buffer.from(TITLE, 'utf8'), Buffer.from(`n${TITLE.slice(1)}`, 'utf8'));
    expect(at).toBeGreaterThan(0);

    service = await ChildService.start(dataDir, { env, acceptUnready: true, keepStdout: true });
    expect(service.stdout).toMatch(new RegExp(`"level":"error".*Tamper check failed: the log does not match what was notarised: positions ${target.position} changed in the log`));
    const ready = await service.http.get<{ details: { notary: { status: string; mismatchingPositions: number[]; message: string } } }>('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details.notary).toMatchObject({ status: 'down', mismatchingPositions: [target.position] });
    expect(ready.body.details.notary.message).toContain(`positions ${target.position}`);

    const integrity = await expectStatus<{ status: string; lastCheck: { mismatchingPositions: number[] } }>(service.http.get('/v1/audit/integrity'), 200, 'integrity');
    expect(integrity).toMatchObject({ status: 'tampered', lastCheck: { mismatchingPositions: [target.position] } });
    const metrics = await service.http.get<string>('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('escrow_notary_tampered_positions{found_in="log"} 1');
    expect(metrics.body).toContain('escrow_notary_tampered_positions{found_in="tree"} 0');

    // The service still serves; the notary notarises what comes, but signs no head over this log.
    await expectStatus(service.http.post('/v1/contracts', client, { ...offer, title: 'After the edit' }), 201, 'offer after the edit');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const latest = await expectStatus<{ treeSize: number }>(service.http.get('/v1/audit/tree-head'), 200, 'latest head');
    expect(latest.treeSize).toBe(head);
    await service.stop();

    // The rebuild compares every notarised event first: refused, unless told to go on, which the read models then record.
    const lines: string[] = [];
    const rebuildEnv = { DATA_DIR: dataDir, LOG_LEVEL: 'error' };
    await expect(rebuildProjections([], rebuildEnv, (line) => lines.push(line))).rejects.toThrow(TamperedLogError);
    await expect(rebuildProjections([], rebuildEnv, (line) => lines.push(line))).rejects.toThrow(`positions ${target.position}.`);
    await rebuildProjections([], rebuildEnv, (line) => lines.push(line), { acceptTamperedLog: true });
    expect(lines).toContainEqual(expect.stringContaining('--accept-tampered-log'));

    service = await ChildService.start(dataDir, { env, acceptUnready: true });
    const rebuilt = await expectStatus<{ status: string; readModelsRebuiltOverTamperedLog: { mismatchingPositions: number[] } }>(
      service.http.get('/v1/audit/integrity'),
      200,
      'integrity after the rebuild',
    );
    expect(rebuilt).toMatchObject({ status: 'tampered', readModelsRebuiltOverTamperedLog: { mismatchingPositions: [target.position] } });
    const readiness = await service.http.get<{ details: { notary: { status: string; message: string } } }>('/health/ready');
    expect(readiness.status).toBe(503);
    expect(readiness.body.details.notary.message).toContain('the read models were rebuilt over a tampered log');
  });
});
