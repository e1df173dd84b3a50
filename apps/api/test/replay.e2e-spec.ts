import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Actor } from '@escrow/domain/shared/actor';
import { replay } from '../../../scripts/replay';
import { DataFolderService } from './data-folder-service';

const ROOT = join(__dirname, '..', '..', '..');

/** Each calling service with its own token, so the timeline names the service every command came through. */
const TOKENS = { 'job-board': 'j'.repeat(40), 'support-console': 's'.repeat(40), settlement: 'p'.repeat(40), audit: 'a'.repeat(40) };
const API_CLIENTS = JSON.stringify([
  { id: 'job-board', roles: ['user'], tokens: [TOKENS['job-board']] },
  { id: 'support-console', roles: ['support'], tokens: [TOKENS['support-console']] },
  { id: 'settlement', roles: ['system'], tokens: [TOKENS.settlement] },
  { id: 'audit', roles: ['auditor'], tokens: [TOKENS.audit] },
]);
const SERVICE_OF: Record<string, keyof typeof TOKENS> = { user: 'job-board', support: 'support-console', system: 'settlement', auditor: 'audit' };

const client: Actor = { id: 'client-1', role: 'user' };
const worker: Actor = { id: 'worker-1', role: 'user' };
const support: Actor = { id: 'support-1', role: 'support' };
const settlement: Actor = { id: 'settlement', role: 'system' };
const auditor: Actor = { id: 'auditor-1', role: 'auditor' };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run replay` as staff run it: its own process, on the service's configuration, while the service runs. */
function runReplay(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '-s', 'replay', '--', ...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** The cells of the timeline row of the nth event of a type. */
function row(text: string, type: string, occurrence = 0): string[] {
  const rows = text.split('\n').filter((line) => line.trim().split(/\s{2,}/)[2] === type);
  return rows[occurrence].trim().split(/\s{2,}/);
}

describe('npm run replay on a data folder written by the service (e2e)', () => {
  let dataDir: string;
  let node: DataFolderService;
  let contractId: string;
  let baseUrl: string;
  let table: Run;

  const as = (actor: Actor) => ({
    get: (path: string) =>
      request(node.app!.getHttpServer()).get(path).set('Authorization', `Bearer ${TOKENS[SERVICE_OF[actor.role]]}`).set('X-Actor-Id', actor.id).set('X-Actor-Role', actor.role),
    post: async (path: string, body: object = {}) => {
      const res = await request(node.app!.getHttpServer())
        .post(path)
        .set('Authorization', `Bearer ${TOKENS[SERVICE_OF[actor.role]]}`)
        .set('X-Actor-Id', actor.id)
        .set('X-Actor-Role', actor.role)
        .send(body);
      if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { contractId: string; milestones: { milestoneId: string }[] };
    },
  });

  /** Grosses of ¥50,000, ¥30,000 and ¥50,000; support refunds ¥20,000 of the third before it is paid out. */
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'escrow-replay-'));
    node = await new DataFolderService(dataDir, { API_CLIENTS }).start();
    const offered = await as(client).post('/v1/contracts', {
      clientId: client.id,
      workerId: worker.id,
      title: 'Website redesign',
      milestones: [
        { title: 'Wireframes', amount: 45455, dueDate: '2026-12-15' },
        { title: 'Visual design', amount: 27273, dueDate: '2027-01-15' },
        { title: 'Build', amount: 45455, dueDate: '2027-02-15' },
      ],
    });
    contractId = offered.contractId;
    const [m1, m2, m3] = offered.milestones.map((milestone) => `/v1/contracts/${contractId}/milestones/${milestone.milestoneId}`);
    await as(worker).post(`/v1/contracts/${contractId}/accept`);
    for (const m of [m1, m2, m3]) await as(client).post(`${m}/prepay`, { paymentReference: `pay-${m.slice(-8)}`, method: 'card' });
    for (const m of [m1, m2]) {
      await as(worker).post(`${m}/deliver`, { deliverables: [] });
      await as(client).post(`${m}/inspect`);
      await as(settlement).post(`${m}/payout`);
    }
    await as(support).post(`${m3}/refund`, { amount: 20_000, reason: 'Scope reduced' });
    await as(worker).post(`${m3}/deliver`, { deliverables: [] });
    await as(client).post(`${m3}/inspect`);
    await as(settlement).post(`${m3}/payout`);
    await node.app!.listen(0, '127.0.0.1');
    const address = node.app!.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    table = await runReplay([contractId], { DATA_DIR: dataDir });
  });

  afterAll(async () => {
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the timeline from the store while the service runs: who acted, through which service, and the money after each event', () => {
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const text = table.stdout;
    expect(text.split('\n')[0]).toBe(`Contract ${contractId} "Website redesign"`);
    expect(text.split('\n')[1]).toMatch(/^client client-1, worker worker-1; completed at revision 15;/);
    expect(row(text, 'ContractOffered').slice(3, 5)).toEqual(['client-1 (user)', 'job-board']);
    // funded, in escrow, paid out, fee, net, refunded, cancelled: the contract totals after the event.
    expect(row(text, 'EscrowFunded', 2).slice(6)).toEqual(['130,000', '130,000', '0', '0', '0', '0', '0']);
    expect(row(text, 'MilestonePaidOut', 0).slice(3)).toEqual(['settlement (system)', 'settlement', 'active', '130,000', '80,000', '50,000', '11,000', '39,000', '0', '0']);
    expect(row(text, 'EscrowRefunded').slice(3)).toEqual(['support-1 (support)', 'support-console', 'active', '130,000', '30,000', '80,000', '17,600', '62,400', '20,000', '0']);
    expect(row(text, 'MilestonePaidOut', 2).slice(6)).toEqual(['130,000', '0', '110,000', '23,100', '86,900', '20,000', '0']);
    expect(text).toContain(`ledger Cr escrow:${contractId} 50,000`);
    expect(text).toContain('ledger Cr fee-revenue 5,000');
    const total = text.split('\n').find((line) => line.startsWith('total'))!;
    expect(total.trim().split(/\s{2,}/)).toEqual(['total', '130,000', '130,000', '0', '110,000', '23,100', '86,900', '20,000', '0', '21,000', '2,100']);
  });

  it('prints with --json exactly the timeline the history route answers, as of a revision too', async () => {
    const json = await runReplay([contractId, '--json', '--as-of', '11'], { DATA_DIR: dataDir });
    expect(json.code).toBe(0);
    const route = await as(auditor).get(`/v1/contracts/${contractId}/history?asOf=11`).expect(200);
    expect(JSON.parse(json.stdout)).toEqual(route.body);
    expect(route.body.money.totals).toMatchObject({ inEscrow: 30_000, paidOut: 80_000, refunded: 20_000 });
  });

  it('reads the history route with --url as the staff member named, and prints the same table', async () => {
    let out = '';
    let err = '';
    const code = await replay(
      [contractId, '--url', baseUrl, '--actor', 'staff-9', '--token', TOKENS['support-console']],
      {},
      (text) => (out += text),
      (text) => (err += text),
    );
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toBe(table.stdout);
  });

  it('refuses, with exit code 2 and a message, an unknown contract, a bad --as-of, an unknown option and a token the service refuses', async () => {
    const unknown = await runReplay(['no-such-contract'], { DATA_DIR: dataDir });
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe('Contract no-such-contract does not exist in this event store.\n');
    const badAsOf = await runReplay([contractId, '--as-of', '2026-02-30'], { DATA_DIR: dataDir });
    expect(badAsOf).toMatchObject({ code: 2, stdout: '' });
    expect(badAsOf.stderr).toMatch(/^--as-of: asOf must be a real calendar date/);
    const flag = await runReplay([contractId, '--verbose'], { DATA_DIR: dataDir });
    expect(flag).toMatchObject({ code: 2, stdout: '' });
    expect(flag.stderr).toMatch(/^unknown option --verbose\n\nUsage: npm run replay/);

    let err = '';
    const refused = await replay([contractId, '--url', baseUrl, '--actor', 'staff-9', '--token', 'x'.repeat(40)], {}, () => undefined, (text) => (err += text));
    expect(refused).toBe(2);
    expect(err).toMatch(new RegExp(`^The service refused the history of ${contractId}: 401`));
    err = '';
    expect(await replay(['no-such-contract', '--url', baseUrl, '--actor', 'staff-9', '--token', TOKENS['support-console']], {}, () => undefined, (text) => (err += text))).toBe(2);
    expect(err).toMatch(/^The service refused the history of no-such-contract: 404/);
  });
  it('never prints the token, whether the history is printed, refused, unreachable or the command line is wrong', async () => {
    const token = TOKENS['support-console'];
    const outcomes: { code: number; printed: string }[] = [];
    const run = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      let printed = '';
      const code = await replay(argv, env, (text) => (printed += text), (text) => (printed += text));
      outcomes.push({ code, printed });
    };
    await run([contractId, '--url', baseUrl, '--actor', 'staff-9', '--token', token]);
    await run([contractId, '--url', baseUrl, '--actor', 'staff-9', '--json'], { REPLAY_TOKEN: token });
    await run(['no-such-contract', '--url', baseUrl, '--actor', 'staff-9', '--token', token]);
    await run([contractId, '--url', baseUrl, '--actor', 'staff 9', '--token', token]);
    await run([contractId, '--url', 'http://127.0.0.1:1', '--actor', 'staff-9', '--token', token]);
    await run([contractId, '--url', baseUrl, '--actor', 'staff-9', `--token=${token}`]);
    await run([contractId, `--token=${token}`]);
    expect(outcomes.map((outcome) => outcome.code)).toEqual([0, 0, 2, 2, 1, 2, 2]);
    for (const outcome of outcomes) expect(outcome.printed).not.toContain(token);
  });
});
