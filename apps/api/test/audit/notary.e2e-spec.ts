import { createPublicKey } from 'node:crypto';
import { leafBytes } from '@escrow/audit/leaf/leaf-bytes';
import { leafHash } from '@escrow/audit/merkle/hashes';
import { verifyConsistency, verifyInclusion } from '@escrow/audit/merkle/verify';
import { keyIdOf, SignedTreeHead, verifyTreeHead } from '@escrow/audit/tree-head/tree-head';
import type { RecordedEvent } from '@escrow/event-store/port';
import { verifyDataDir } from '../../../../scripts/audit-verify/verify-data-dir';
import { fundedContract, TestService } from '../harness';

const hashes = (hex: readonly string[]) => hex.map((hash) => Buffer.from(hash, 'hex'));

describe('the notary: signed tree heads and proofs', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start({ env: { AUDIT_TREE_HEAD_MAX_DELAY_MS: '50' } });
  });
  afterAll(() => service.stop());

  const headPosition = async () => ((await service.get('/v1/audit/events?limit=1').expect(200)).body as { headPosition: number }).headPosition;
  const everyEvent = async () => ((await service.get('/v1/audit/events?limit=1000').expect(200)).body as { data: RecordedEvent[] }).data;

  /** The latest head once it covers the whole log as it stands. */
  async function headCoveringTheLog(): Promise<SignedTreeHead> {
    const size = await headPosition();
    for (let attempt = 0; attempt < 300; attempt++) {
      const answer = await service.get('/v1/audit/tree-head');
      if (answer.status === 200 && (answer.body as SignedTreeHead).treeSize === size) return answer.body as SignedTreeHead;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no head of size ${size} was published`);
  }

  async function verifiedWithServedKey(head: SignedTreeHead): Promise<void> {
    const key = (await service.get(`/v1/audit/public-key?keyId=${head.keyId}`).expect(200)).body as { keyId: string; algorithm: string; publicKeyPem: string };
    const publicKey = createPublicKey(key.publicKeyPem);
    expect(key).toMatchObject({ keyId: head.keyId, algorithm: 'Ed25519' });
    expect(keyIdOf(publicKey)).toBe(head.keyId);
    expect(verifyTreeHead(head, publicKey)).toBe(true);
  }

  it('answers 404 before the first head, then publishes heads that a saved head proves a prefix of, with every event included', async () => {
    await service.get('/v1/audit/tree-head').expect(404).expect((res) => expect(res.body.code).toBe('TREE_HEAD_NOT_FOUND'));

    await fundedContract(service);
    const saved = await headCoveringTheLog();
    await verifiedWithServedKey(saved);

    await fundedContract(service);
    const newer = await headCoveringTheLog();
    expect(newer.treeSize).toBeGreaterThan(saved.treeSize);
    await verifiedWithServedKey(newer);

    const proof = (await service.get(`/v1/audit/proofs/consistency?from=${saved.treeSize}&to=${newer.treeSize}`).expect(200)).body as { fromSize: number; toSize: number; consistencyPath: string[] };
    expect(proof).toMatchObject({ fromSize: saved.treeSize, toSize: newer.treeSize });
    const claim = { fromSize: saved.treeSize, toSize: newer.treeSize, fromRoot: Buffer.from(saved.rootHash, 'hex'), toRoot: Buffer.from(newer.rootHash, 'hex'), consistencyPath: hashes(proof.consistencyPath) };
    expect(verifyConsistency(claim)).toBe(true);
    expect(verifyConsistency({ ...claim, fromRoot: Buffer.alloc(32, 1) })).toBe(false);

    const events = await everyEvent();
    expect(events).toHaveLength(newer.treeSize);
    for (const [head, included] of [[saved, events.slice(0, saved.treeSize)], [newer, events]] as const) {
      for (const event of included) {
        const answer = (await service.get(`/v1/audit/proofs/inclusion?position=${event.position}&treeSize=${head.treeSize}`).expect(200)).body as {
          leafIndex: number;
          leafHash: string;
          auditPath: string[];
          treeSize: number;
        };
        const hash = leafHash(leafBytes(event));
        expect(answer).toMatchObject({ leafIndex: event.position - 1, leafHash: hash.toString('hex'), treeSize: head.treeSize });
        const inclusion = { leafIndex: answer.leafIndex, treeSize: head.treeSize, leafHash: hash, auditPath: hashes(answer.auditPath), rootHash: Buffer.from(head.rootHash, 'hex') };
        expect(verifyInclusion(inclusion)).toBe(true);
        expect(verifyInclusion({ ...inclusion, leafHash: leafHash(leafBytes({ ...event, data: { ...event.data, amount: 1 } })) })).toBe(false);
      }
    }
    // Without treeSize: against the latest head.
    const latest = (await service.get('/v1/audit/proofs/inclusion?position=1').expect(200)).body as { treeSize: number };
    expect(latest.treeSize).toBeGreaterThanOrEqual(newer.treeSize);

    expect((await service.get(`/v1/audit/tree-head?treeSize=${saved.treeSize}`).expect(200)).body).toEqual(saved);
  });

  it('lists every published head, smallest first, a page at a time', async () => {
    const all = ((await service.get('/v1/audit/tree-heads?limit=1000').expect(200)).body as { data: SignedTreeHead[]; nextCursor: string | null });
    expect(all.nextCursor).toBeNull();
    expect(all.data.length).toBeGreaterThanOrEqual(2);
    const sizes = all.data.map((head) => head.treeSize);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
    const first = (await service.get('/v1/audit/tree-heads?limit=1').expect(200)).body as { data: SignedTreeHead[]; nextCursor: string };
    const second = (await service.get(`/v1/audit/tree-heads?limit=1&cursor=${first.nextCursor}`).expect(200)).body as { data: SignedTreeHead[] };
    expect([...first.data, ...second.data]).toEqual(all.data.slice(0, 2));
  });

  it('refuses parameters out of bounds, naming the field and the rule', async () => {
    const size = (await service.get('/v1/audit/tree-head').expect(200)).body.treeSize as number;
    const refusals: [string, number, { field: string; rule: string } | string][] = [
      ['/v1/audit/proofs/inclusion', 400, { field: 'position', rule: 'required' }],
      ['/v1/audit/proofs/inclusion?position=abc', 400, { field: 'position', rule: 'isInt' }],
      ['/v1/audit/proofs/inclusion?position=0', 400, { field: 'position', rule: 'isInt' }],
      ['/v1/audit/proofs/inclusion?position=999999', 400, { field: 'position', rule: 'notarised' }],
      ['/v1/audit/proofs/inclusion?position=5&treeSize=4', 400, { field: 'treeSize', rule: 'min' }],
      [`/v1/audit/proofs/inclusion?position=1&treeSize=${size + 1000}`, 400, { field: 'treeSize', rule: 'max' }],
      ['/v1/audit/proofs/inclusion?position=1&leaf=2', 400, { field: 'leaf', rule: 'unknownField' }],
      ['/v1/audit/proofs/consistency?from=1', 400, { field: 'to', rule: 'required' }],
      ['/v1/audit/proofs/consistency?from=3&to=2', 400, { field: 'from', rule: 'max' }],
      [`/v1/audit/proofs/consistency?from=1&to=${size + 1000}`, 400, { field: 'to', rule: 'max' }],
      ['/v1/audit/tree-head?treeSize=-1', 400, { field: 'treeSize', rule: 'isInt' }],
      ['/v1/audit/tree-head?treeSize=999999', 404, 'TREE_HEAD_NOT_FOUND'],
      ['/v1/audit/tree-heads?cursor=abc', 400, { field: 'cursor', rule: 'cursor' }],
      ['/v1/audit/public-key?keyId=ZZ', 400, { field: 'keyId', rule: 'format' }],
      [`/v1/audit/public-key?keyId=${'0'.repeat(64)}`, 404, 'SIGNING_KEY_NOT_FOUND'],
      ['/v1/audit/integrity?verbose=1', 400, { field: 'verbose', rule: 'unknownField' }],
    ];
    for (const [path, status, expected] of refusals) {
      const answer = await service.get(path);
      expect({ path, status: answer.status }).toEqual({ path, status });
      if (typeof expected === 'string') expect(answer.body.code).toBe(expected);
      else expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining(expected)]));
    }
    const empty = (await service.get('/v1/audit/proofs/consistency?from=0&to=0').expect(200)).body;
    expect(empty).toEqual({ fromSize: 0, toSize: 0, consistencyPath: [] });
  });

  it('reports an intact log in its integrity check and readiness', async () => {
    const integrity = (await service.get('/v1/audit/integrity').expect(200)).body;
    expect(integrity).toMatchObject({ status: 'intact', readModelsRebuiltOverTamperedLog: null, lastCheck: { origin: 'service', mismatchingPositions: [], treeMismatchingPositions: [], problems: [] } });
    const ready = (await service.get('/health/ready').expect(200)).body;
    expect(ready.details.notary).toMatchObject({ status: 'up', lastCheckAt: expect.any(String) });
    // The verifier an auditor runs on the data folder reads the notary's file as the notary wrote it.
    const verified = verifyDataDir(service.dataDir);
    expect({ ok: verified.ok, lines: verified.lines }).toEqual({ ok: true, lines: expect.any(Array) });
  });

  it('serves the heads and proofs read-only with ROLE=api, from the file the processors wrote', async () => {
    const latest = (await service.get('/v1/audit/tree-head').expect(200)).body as SignedTreeHead;
    const integrity = (await service.get('/v1/audit/integrity').expect(200)).body;
    await service.restart({ ROLE: 'api' });
    expect((await service.get('/v1/audit/tree-head').expect(200)).body).toEqual(latest);
    await verifiedWithServedKey(latest);
    const proof = (await service.get(`/v1/audit/proofs/inclusion?position=1&treeSize=${latest.treeSize}`).expect(200)).body as { auditPath: string[] };
    expect(proof.auditPath.length).toBeGreaterThan(0);
    expect((await service.get('/v1/audit/integrity').expect(200)).body).toEqual(integrity);
    expect((await service.get('/health/ready').expect(200)).body.details.notary).toMatchObject({ status: 'up', lastCheckAt: integrity.lastCheck.checkedAt });
  });
});
