import { NotaryService } from '../../src/audit/notary/notary.service';
import { ExportSlots } from '../../src/http/export-slots';
import { auditor, client, fundedContract, settlement, support, TestService, worker } from '../harness';

/**
 * The audit surface as an attacker sees it: who may read it, what its parameters can select, how much work a
 * request can make the service do, and what the notary tells operators while it runs.
 */
describe('the audit surface under attack and in operation', () => {
  let service: TestService;
  let contractId: string;

  beforeAll(async () => {
    service = await TestService.start({ env: { AUDIT_TREE_HEAD_MAX_DELAY_MS: '20', EXPORT_MAX_CONCURRENT: '2' } });
    contractId = (await fundedContract(service)).contractId;
  });
  afterAll(() => service.stop());

  const headPosition = async () => ((await service.get('/v1/audit/events?limit=1').expect(200)).body as { headPosition: number }).headPosition;
  async function headCoveringTheLog(): Promise<{ treeSize: number }> {
    const size = await headPosition();
    for (let attempt = 0; attempt < 300; attempt++) {
      const answer = await service.get('/v1/audit/tree-head');
      if (answer.status === 200 && answer.body.treeSize === size) return answer.body as { treeSize: number };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no head of size ${size} was published`);
  }

  it('refuses every audit read, in every format, to a user, even one party to what the filter selects', async () => {
    await headCoveringTheLog();
    const reads: [string, string][] = [
      [`/v1/audit/events?stream=contract-${contractId}`, 'application/x-ndjson'],
      ['/v1/audit/events?category=contract', 'application/x-ndjson'],
      ['/v1/audit/events', 'application/json'],
      ['/v1/ledger/journal', 'text/csv'],
      ['/v1/ledger/trial-balance', 'text/csv'],
      ['/v1/ledger/checks', 'application/json'],
      ['/v1/audit/tree-head', 'application/json'],
      ['/v1/audit/tree-heads', 'application/json'],
      ['/v1/audit/proofs/inclusion?position=1', 'application/json'],
      ['/v1/audit/proofs/consistency?from=1&to=2', 'application/json'],
      ['/v1/audit/public-key', 'application/json'],
      ['/v1/audit/integrity', 'application/json'],
    ];
    for (const [path, accept] of reads) {
      for (const user of [client, worker]) {
        const answer = await service.get(path, user).set('Accept', accept);
        expect({ path, accept, status: answer.status, code: answer.body?.code }).toEqual({ path, accept, status: 403, code: 'STAFF_ONLY' });
        expect(answer.text).not.toContain('"streamId"');
      }
      for (const staff of [support, settlement, auditor]) expect({ path, status: (await service.get(path, staff).set('Accept', accept)).status }).toEqual({ path, status: 200 });
    }
  });

  it('never serves the private key: the public-key route and every audit answer carry the public half only', async () => {
    const key = (await service.get('/v1/audit/public-key').expect(200)).body as Record<string, string>;
    expect(Object.keys(key).sort()).toEqual(['algorithm', 'keyId', 'publicKeyPem']);
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    for (const path of ['/v1/audit/public-key', '/v1/audit/tree-head', '/v1/audit/tree-heads', '/v1/audit/integrity', '/health/ready']) {
      expect((await service.get(path)).text).not.toMatch(/PRIVATE KEY/);
    }
  });

  it('takes positions and tree sizes only as whole numbers within safe integers: nothing else selects anything', async () => {
    const refused = [
      '9007199254740992',
      '99999999999999999999',
      '-1',
      '1e3',
      '0x10',
      '+1',
      '1.0',
      '%201',
      '%EF%BC%91',
      'NaN',
      'Infinity',
      '__proto__',
      '1%00',
    ];
    for (const value of refused) {
      for (const [path, field] of [
        [`/v1/audit/tree-head?treeSize=${value}`, 'treeSize'],
        [`/v1/audit/proofs/inclusion?position=${value}`, 'position'],
        [`/v1/audit/proofs/inclusion?position=1&treeSize=${value}`, 'treeSize'],
        [`/v1/audit/proofs/consistency?from=${value}&to=1`, 'from'],
        [`/v1/audit/proofs/consistency?from=0&to=${value}`, 'to'],
        [`/v1/audit/events?after=${value}`, 'after'],
      ]) {
        const answer = await service.get(path);
        expect({ path, status: answer.status, field: answer.body.errors?.[0]?.field }).toEqual({ path, status: 400, field });
      }
    }
    // A parameter given twice, or as an array or object, is refused rather than one of its values picked.
    for (const path of ['/v1/audit/tree-head?treeSize=1&treeSize=2', '/v1/audit/proofs/inclusion?position[]=1', '/v1/audit/proofs/consistency?from[a]=1&to=2']) {
      expect({ path, status: (await service.get(path)).status }).toEqual({ path, status: 400 });
    }
  });

  it('bounds a proof by what is notarised, however large the sizes asked: refused at once, not computed', async () => {
    const { treeSize } = await headCoveringTheLog();
    const largest = String(Number.MAX_SAFE_INTEGER);
    const started = Date.now();
    for (const path of [
      `/v1/audit/proofs/consistency?from=1&to=${largest}`,
      `/v1/audit/proofs/consistency?from=${largest}&to=${largest}`,
      `/v1/audit/proofs/inclusion?position=1&treeSize=${largest}`,
      `/v1/audit/proofs/inclusion?position=${largest}`,
    ]) {
      expect({ path, status: (await service.get(path)).status }).toEqual({ path, status: 400 });
    }
    expect(Date.now() - started).toBeLessThan(5_000);
    const proof = (await service.get(`/v1/audit/proofs/consistency?from=1&to=${treeSize}`).expect(200)).body as { consistencyPath: string[] };
    expect(proof.consistencyPath.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(treeSize)) + 1);
  });

  it('runs at most EXPORT_MAX_CONCURRENT exports at once: past it 503 EXPORTS_BUSY with Retry-After, and exports again once one ends', async () => {
    const slots = service.app.get(ExportSlots);
    const held = [slots.take(), slots.take()];
    try {
      for (const [path, accept] of [
        ['/v1/audit/events', 'application/x-ndjson'],
        ['/v1/ledger/journal', 'text/csv'],
      ]) {
        const busy = await service.get(path).set('Accept', accept);
        expect({ path, status: busy.status, code: busy.body.code, retryAfter: busy.headers['retry-after'] }).toEqual({ path, status: 503, code: 'EXPORTS_BUSY', retryAfter: '5' });
        expect(busy.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      // A bad request is still told so, and a JSON page is no export.
      await service.get('/v1/audit/events?after=x').set('Accept', 'application/x-ndjson').expect(400);
      await service.get('/v1/audit/events?limit=1').expect(200);
    } finally {
      held.forEach((release) => release());
    }
    const exported = await service.get('/v1/audit/events').set('Accept', 'application/x-ndjson').expect(200);
    expect(exported.text.split('\n').filter(Boolean)).toHaveLength(await headPosition());
    await service.get('/v1/ledger/journal').set('Accept', 'text/csv').expect(200);
    expect(slots.inUse).toBe(0);
  });

  it('measures the notary for monitoring: its lag behind the log, the heads it published, its failures', async () => {
    const { treeSize } = await headCoveringTheLog();
    const text = (await service.get('/metrics', settlement).expect(200)).text;
    const figure = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(figure('escrow_notary_tree_size')).toBe(treeSize);
    expect(figure('escrow_notary_head_tree_size')).toBe(treeSize);
    expect(figure('escrow_notary_lag_events')).toBe(0);
    expect(figure('escrow_notary_lag_seconds')).toBe(0);
    expect(figure('escrow_notary_unsigned_seconds')).toBe(0);
    expect(figure('escrow_notary_tree_heads_published_total')).toBeGreaterThanOrEqual(1);
    expect(figure('escrow_notary_failures_total')).toBe(0);
    const ready = (await service.get('/health/ready').expect(200)).body;
    expect(ready.details.notary).toMatchObject({ status: 'up', treeSize, headTreeSize: treeSize, failures: 0 });
    expect(ready.details.notary.failingSince).toBeUndefined();
  });

  it('while notary.sqlite cannot be written, readiness says since when and the metric counts it; both recover once it can', async () => {
    await headCoveringTheLog();
    const notaryFile = service.app.get(NotaryService).database()!.db;
    notaryFile.exec("CREATE TRIGGER full_disk BEFORE INSERT ON notary_leaves BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    try {
      await fundedContract(service);
      let ready = await service.get('/health/ready');
      for (let attempt = 0; attempt < 200 && ready.status !== 503; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        ready = await service.get('/health/ready');
      }
      expect(ready.status).toBe(503);
      expect(ready.body.details.notary).toMatchObject({
        status: 'down',
        failingSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        lastError: 'database or disk is full',
        message: expect.stringMatching(/^notarising the log has failed since /),
      });
      // A passer-by learns only that the part is down.
      const anonymous = await service.http().get('/health/ready');
      expect(anonymous.body.details.notary).toEqual({ status: 'down' });
      const metrics = (await service.get('/metrics', settlement).expect(200)).text;
      expect(Number(/^escrow_notary_failures_total (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
      expect(Number(/^escrow_notary_lag_events (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
      expect(Number(/^escrow_notary_lag_seconds (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
      expect(Number(/^escrow_notary_unsigned_seconds (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    } finally {
      notaryFile.exec('DROP TRIGGER IF EXISTS full_disk');
    }
    const { treeSize } = await headCoveringTheLog();
    const ready = (await service.get('/health/ready').expect(200)).body;
    expect(ready.details.notary).toMatchObject({ status: 'up', treeSize, failures: 0 });
    expect(ready.details.notary.failingSince).toBeUndefined();
  });
});
