import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@escrow/event-store/port';
import { EVENT_STORE_FILE } from '../../src/store/storage-files';
import { ChildService } from '../scenario/child-service';
import { settledHead } from '../scenario/event-log';
import { expectStatus } from '../scenario/http-client';
import { overwriteOnceInFile, publishedHeadCovering } from '../scenario/notary';

/**
 * What an auditor does, end to end, with the tools docs/audit.md gives them: the real service in a process of its
 * own with calling services and tokens, the real `npm run audit:verify` and `npm run projections:rebuild`, and one
 * byte of the funding of the README's contract (¥11,000) edited in events.sqlite.
 */

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const TOKENS = { user: 'proof-job-board-token-0123456789abcdefghij', system: 'proof-settlement-token-0123456789abcdefgh', auditor: 'proof-audit-token-0123456789abcdefghijklmn' };
const API_CLIENTS = JSON.stringify([
  { id: 'job-board', roles: ['user'], tokens: [TOKENS.user] },
  { id: 'settlement', roles: ['system'], tokens: [TOKENS.system] },
  { id: 'audit', roles: ['auditor'], tokens: [TOKENS.auditor] },
]);
const ENV = { API_CLIENTS, AUDIT_TREE_HEAD_MAX_DELAY_MS: '50' };
const client = { id: 'client-1', role: 'user' as const };
const worker = { id: 'worker-1', role: 'user' as const };
const settlement = { id: 'settlement', role: 'system' as const };
const auditor = { id: 'finance-1', role: 'auditor' as const };

interface Run {
  code: number;
  output: string;
}

/** `npm --prefix <checkout> run -s <script> -- <args>` typed in `cwd`, as an auditor or an operator types it. */
function npmRun(script: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const clean = { ...process.env };
    delete clean.AUDIT_VERIFY_TOKEN;
    execFile('npm', ['--prefix', REPO_ROOT, 'run', '-s', script, '--', ...args], { cwd, env: { ...clean, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : (error as NodeJS.ErrnoException & { code?: unknown }).code;
      if (typeof code !== 'number') reject(error);
      else resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

interface ChecksBody {
  position: number;
  passed: boolean;
  checks: { name: string; passed: boolean; violations: { subjectKind: string; subject: string; expected: number; actual: number; detail: string }[] }[];
}

describe('an auditor proves the books from outside the service, and finds one edited byte', () => {
  let work: string;
  let dataDir: string;
  let service: ChildService | undefined;
  const file = (name: string): string => join(work, name);

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'escrow-auditor-'));
    dataDir = join(work, 'data');
  });
  afterAll(async () => {
    await service?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const start = async (): Promise<ChildService> => (service = await ChildService.start(dataDir, { env: ENV, tokens: TOKENS, acceptUnready: true }));

  /** The whole log as NDJSON, as `curl -H 'Accept: application/x-ndjson'` saves it. */
  async function exportTo(name: string): Promise<RecordedEvent[]> {
    const answer = await fetch(`http://127.0.0.1:${service!.port}/v1/audit/events`, {
      headers: { authorization: `Bearer ${TOKENS.auditor}`, 'x-actor-id': auditor.id, 'x-actor-role': auditor.role, accept: 'application/x-ndjson' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const text = await answer.text();
    writeFileSync(file(name), text);
    return text.trimEnd().split('\n').map((line) => JSON.parse(line) as RecordedEvent);
  }

  /** The verifier as the walk-through runs it: from the auditor's folder, files named relative to it, the token in the environment. */
  const verify = (...args: string[]): Promise<Run> => npmRun('audit:verify', args, { AUDIT_VERIFY_TOKEN: TOKENS.auditor }, work);
  const url = (): string => `http://127.0.0.1:${service!.port}`;

  it('verifies the export and two heads, then names the edited funding in the verifier, readiness and the ledger checks', async () => {
    const http = (await start()).http;

    // The README's contract: ¥10,000 ex tax (¥11,000 gross) offered, accepted and funded.
    const offered = await expectStatus<{ contractId: string; milestones: { milestoneId: string }[] }>(
      http.post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Logo design', milestones: [{ title: 'Logo', amount: 10_000, dueDate: '2026-12-31' }] }),
      201,
      'offer',
    );
    const contractId = offered.contractId;
    const milestone = `/v1/contracts/${contractId}/milestones/${offered.milestones[0].milestoneId}`;
    await expectStatus(http.post(`/v1/contracts/${contractId}/accept`, worker), 200, 'accept');
    await expectStatus(http.post(`${milestone}/prepay`, client, { paymentReference: `pay-${contractId}`, method: 'card' }), 200, 'prepay');
    const lastQuarter = await publishedHeadCovering(http, await settledHead(http));
    writeFileSync(file('last-quarter-head.json'), JSON.stringify(lastQuarter));

    // Delivered, inspected, paid out; the wallet credit follows.
    await expectStatus(http.post(`${milestone}/deliver`, worker, { deliverables: [{ uri: 'https://files.example.com/logo.zip' }] }), 200, 'deliver');
    await expectStatus(http.post(`${milestone}/inspect`, client), 200, 'inspect');
    await expectStatus(http.post(`${milestone}/payout`, settlement), 200, 'payout');
    const today = await publishedHeadCovering(http, await settledHead(http));
    expect(today.treeSize).toBeGreaterThan(lastQuarter.treeSize);
    writeFileSync(file('head.json'), JSON.stringify(today));
    writeFileSync(file('key.json'), JSON.stringify(await expectStatus(http.get('/v1/audit/public-key', auditor), 200, 'public key')));

    const events = await exportTo('events.ndjson');
    expect(events).toHaveLength(today.treeSize);
    const funding = events.find((event) => event.type === 'EscrowFunded' && event.streamId === `contract-${contractId}`)!;
    expect(funding.data.amount).toBe(11_000);

    const intact = await verify('--export', 'events.ndjson', '--head', 'head.json', '--public-key', 'key.json');
    expect(intact).toEqual({ code: 0, output: expect.stringMatching(new RegExp(`^OK: the first ${today.treeSize} events of .* hash to the root`)) });

    // Last quarter's head is the beginning of today's; swapped, or with one hex digit of a root changed, it is not.
    const consistency = (older: string, newer: string) => verify('--consistency', older, newer, '--public-key', 'key.json', '--url', url(), '--actor-id', auditor.id);
    writeFileSync(file('altered-head.json'), JSON.stringify({ ...lastQuarter, rootHash: `${lastQuarter.rootHash.slice(0, -1)}${lastQuarter.rootHash.endsWith('0') ? '1' : '0'}` }));
    const [consistent, swapped, altered] = await Promise.all([
      consistency('last-quarter-head.json', 'head.json'),
      consistency('head.json', 'last-quarter-head.json'),
      consistency('altered-head.json', 'head.json'),
    ]);
    expect(consistent).toEqual({ code: 0, output: expect.stringContaining(`is the first ${lastQuarter.treeSize} events of the tree head of size ${today.treeSize}`) });
    expect(swapped).toEqual({ code: 1, output: expect.stringContaining(`the old head covers ${today.treeSize} events, more than the new head's ${lastQuarter.treeSize}`) });
    expect(altered).toEqual({ code: 1, output: expect.stringContaining('its signature does not verify') });
    await service!.stop();

    // One byte of the funding's data, in the file: 11000 → "1100 " (still JSON, the same length).
    const stored = new Database(join(dataDir, EVENT_STORE_FILE), { readonly: true });
    const data = stored.prepare<[number], string>('SELECT data FROM events WHERE position = ?').pluck().get(funding.position)!;
    stored.close();
    expect(data.split('"amount":11000').length).toBe(2);
    overwriteOnceInFile(join(dataDir, EVENT_STORE_FILE), Buffer.from(data, 'utf8'), Buffer.from(data.replace('"amount":11000', '"amount":1100 '), 'utf8'));

    const tampered = (await start()).http;
    const ready = await tampered.get<{ details: { notary: { status: string; mismatchingPositions: number[]; message: string } } }>('/health/ready', auditor);
    expect(ready.status).toBe(503);
    expect(ready.body.details.notary).toMatchObject({ status: 'down', mismatchingPositions: [funding.position] });
    expect(ready.body.details.notary.message).toContain(`the log does not match what was notarised (positions ${funding.position})`);

    const exported = await exportTo('events-after.ndjson');
    expect(exported.find((event) => event.position === funding.position)!.data.amount).toBe(1_100);
    const exportAgainstHead = ['--export', 'events-after.ndjson', '--head', 'head.json', '--public-key', 'key.json'];
    const [located, rootOnly, withoutToken] = await Promise.all([
      verify(...exportAgainstHead, '--url', url(), '--actor-id', auditor.id),
      verify(...exportAgainstHead),
      npmRun('audit:verify', [...exportAgainstHead, '--url', url(), '--actor-id', auditor.id], {}, work),
    ]);
    expect(located.code).toBe(1);
    expect([...located.output.matchAll(/FAIL: position (\d+) differs from the event notarised/g)].map((match) => Number(match[1]))).toEqual([funding.position]);
    expect(rootOnly.code).toBe(1);
    expect(rootOnly.output).toContain(`not to the signed root ${today.rootHash}`);
    // The proofs are staff-only: without the token in the environment the service refuses the verifier.
    expect(withoutToken).toEqual({ code: 1, output: expect.stringMatching(/FAIL: GET .*\/v1\/audit\/proofs\/inclusion\?.*: 401/) });
    await service!.stop();

    // The rebuild refuses the changed log, naming the position; told to, it rebuilds and the read models record it.
    const rebuildEnv = { DATA_DIR: dataDir, LOG_LEVEL: 'error', API_CLIENTS };
    const refused = await npmRun('projections:rebuild', [], rebuildEnv, REPO_ROOT);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`positions ${funding.position}`);
    expect(refused.output).toContain('--accept-tampered-log');
    expect(await npmRun('projections:rebuild', ['--accept-tampered-log'], rebuildEnv, REPO_ROOT)).toMatchObject({ code: 0 });

    const rebuilt = (await start()).http;
    const checks = await expectStatus<ChecksBody>(rebuilt.get(`/v1/ledger/checks?minPosition=${today.treeSize}`, auditor), 200, 'ledger checks');
    expect(checks.passed).toBe(false);
    const escrow = checks.checks.find((check) => check.name === 'escrow-non-negative')!;
    expect(escrow).toMatchObject({ passed: false, violations: [{ subjectKind: 'contract', subject: contractId, expected: 0, actual: -9_900 }] });
    expect(escrow.violations[0].detail).toContain('−¥9,900');
    const trial = await expectStatus<{ balanced: boolean; failedChecks: string[] }>(rebuilt.get(`/v1/ledger/trial-balance?minPosition=${today.treeSize}`, auditor), 200, 'trial balance');
    expect(trial).toMatchObject({ balanced: false, failedChecks: ['escrow-non-negative'] });
    const integrity = await expectStatus<{ status: string; readModelsRebuiltOverTamperedLog: { mismatchingPositions: number[] } | null }>(
      rebuilt.get('/v1/audit/integrity', auditor),
      200,
      'integrity',
    );
    expect(integrity).toMatchObject({ status: 'tampered', readModelsRebuiltOverTamperedLog: { mismatchingPositions: [funding.position] } });
  }, 90_000);
});
