import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { consistencyProof, inclusionProof } from '@escrow/audit';
import { main } from '../audit-verify';
import { readPublicKeys } from './inputs';
import { verifyHeadsConsistency } from './verify-consistency';
import { ed25519, exportedEvents, ndjson, notarise, Workspace } from './testing/fixtures';

const key = ed25519();
const events = exportedEvents(40);
const oldNotarised = notarise(events, key.privateKey, 13, '2026-11-30T11:00:00.000Z');
const newNotarised = notarise(events, key.privateKey, 40, '2026-11-30T12:00:00.000Z');
const store = newNotarised.store;
const hex = (hashes: Buffer[]): string[] => hashes.map((hash) => hash.toString('hex'));

/** A stand-in for the service's audit routes; `tamper` changes what it answers. */
class FakeAuditService {
  readonly requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  tamper: 'none' | 'wrong-proof' | 'unauthorised' = 'none';
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.requests.push({ url: request.url!, headers: request.headers });
      const url = new URL(request.url!, 'http://service');
      if (this.tamper === 'unauthorised') {
        response.writeHead(401, { 'content-type': 'application/problem+json' }).end('{"title":"Unauthorized"}');
        return;
      }
      if (url.pathname === '/v1/audit/proofs/consistency') {
        const path = hex(consistencyProof(Number(url.searchParams.get('from')), Number(url.searchParams.get('to')), store));
        if (this.tamper === 'wrong-proof') path[0] = path[1];
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ consistencyPath: path }));
      } else if (url.pathname === '/v1/audit/proofs/inclusion') {
        const leafIndex = Number(url.searchParams.get('position')) - 1;
        const auditPath = hex(inclusionProof(leafIndex, Number(url.searchParams.get('treeSize')), store));
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ leafIndex, leafHash: store.hash(0, leafIndex).toString('hex'), auditPath }));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

let workspace: Workspace;
let service: FakeAuditService;
let url: string;
let keyFile: string;
let oldFile: string;
let newFile: string;

beforeEach(async () => {
  workspace = new Workspace();
  service = new FakeAuditService();
  url = await service.start();
  keyFile = workspace.file('key.pem', key.pem);
  oldFile = workspace.file('old.json', JSON.stringify(oldNotarised.head));
  newFile = workspace.file('new.json', JSON.stringify(newNotarised.head));
});
afterEach(async () => {
  await service.stop();
  workspace.remove();
});

async function run(argv: string[], env: NodeJS.ProcessEnv = { AUDIT_VERIFY_TOKEN: 'a-token-of-the-audit-client-0123456789' }): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await main(argv, env, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

describe('audit:verify --consistency', () => {
  it('passes when the service proves the old head a prefix of the new one, asking as a staff actor', async () => {
    const { code, output } = await run(['--consistency', oldFile, newFile, '--url', url, '--public-key', keyFile, '--actor-id', 'finance-7']);
    expect(output).toMatch(/^OK: the log of the tree head of size 13 .* is the first 13 events of the tree head of size 40/);
    expect(code).toBe(0);
    expect(service.requests).toEqual([
      {
        url: '/v1/audit/proofs/consistency?from=13&to=40',
        headers: expect.objectContaining({ authorization: 'Bearer a-token-of-the-audit-client-0123456789', 'x-actor-id': 'finance-7', 'x-actor-role': 'auditor' }),
      },
    ]);
  });

  it('fails on a proof that does not hold', async () => {
    service.tamper = 'wrong-proof';
    const { code, output } = await run(['--consistency', oldFile, newFile, '--url', url, '--public-key', keyFile]);
    expect(code).toBe(1);
    expect(output).toMatch(/^FAIL: the consistency proof \(\d+ hashes\) does not show the tree head of size 13 .* to be a prefix of the tree head of size 40/);
  });

  it('fails when the old head was of another log', async () => {
    const rewritten = notarise(exportedEvents(13).map((event) => ({ ...event, data: { amount: 1 } })), key.privateKey);
    const rewrittenFile = workspace.file('rewritten.json', JSON.stringify(rewritten.head));
    expect((await run(['--consistency', rewrittenFile, newFile, '--url', url, '--public-key', keyFile])).code).toBe(1);
  });

  it('fails on a bad signature, or heads given newest first, without asking the service', async () => {
    const forged = workspace.file('forged.json', JSON.stringify({ ...oldNotarised.head, treeSize: 12 }));
    expect(await run(['--consistency', forged, newFile, '--url', url, '--public-key', keyFile])).toEqual({
      code: 1,
      output: expect.stringContaining('FAIL: the old head, the tree head of size 12'),
    });
    expect(await run(['--consistency', newFile, oldFile, '--url', url, '--public-key', keyFile])).toEqual({
      code: 1,
      output: 'FAIL: the old head covers 40 events, more than the new head\'s 13',
    });
    expect(service.requests).toHaveLength(0);
  });

  it('heads signed by two keys, across a rotation, verify when both keys are given', async () => {
    const next = ed25519();
    const rotated = notarise(events, next.privateKey, 40, '2026-12-01T00:00:00.000Z');
    const rotatedFile = workspace.file('rotated.json', JSON.stringify(rotated.head));
    const nextKeyFile = workspace.file('next.pem', next.pem);
    expect((await run(['--consistency', oldFile, rotatedFile, '--url', url, '--public-key', keyFile])).code).toBe(1);
    expect((await run(['--consistency', oldFile, rotatedFile, '--url', url, '--public-key', keyFile, '--public-key', nextKeyFile])).code).toBe(0);
  });

  it('a refusal of the service is a failure that says what it answered', async () => {
    service.tamper = 'unauthorised';
    const { code, output } = await run(['--consistency', oldFile, newFile, '--url', url, '--public-key', keyFile], {});
    expect(code).toBe(1);
    expect(output).toMatch(/^FAIL: GET http:\/\/127\.0\.0\.1:\d+\/v1\/audit\/proofs\/consistency\?from=13&to=40: 401/);
  });
});

describe('audit:verify --export against the service over HTTP', () => {
  it('names the tampered position using the inclusion route', async () => {
    const lines = ndjson(events).split('\n');
    lines[29] = lines[29].replace('"amount":11030', '"amount":11031');
    const exportFile = workspace.file('events.ndjson', lines.join('\n'));
    const { code, output } = await run(['--export', exportFile, '--head', newFile, '--public-key', keyFile, '--url', url]);
    expect(code).toBe(1);
    expect(output).toContain('FAIL: position 30 differs from the event notarised at that position');
    expect(service.requests.every(({ url: path }) => path.startsWith('/v1/audit/proofs/inclusion?position=') && path.endsWith('&treeSize=40'))).toBe(true);
  });
});

describe('audit:verify --consistency between heads of one size', () => {
  it('compares the roots without asking the service for a proof', async () => {
    const ws = new Workspace();
    const keys = readPublicKeys([ws.file('key.pem', key.pem)]);
    const noProofs = { consistencyProof: (): Promise<Buffer[]> => Promise.reject(new Error('not asked')) };
    const again = notarise(events, key.privateKey, 40, '2026-11-30T13:00:00.000Z').head;
    expect((await verifyHeadsConsistency(newNotarised.head, again, keys, noProofs)).ok).toBe(true);
    const otherLog = notarise(exportedEvents(40).map((event) => ({ ...event, type: 'Other' })), key.privateKey).head;
    expect((await verifyHeadsConsistency(newNotarised.head, otherLog, keys, noProofs)).ok).toBe(false);
    ws.remove();
  });
});
