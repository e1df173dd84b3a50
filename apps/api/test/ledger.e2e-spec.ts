import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { rebuildProjections } from '../../../scripts/projections-rebuild';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { client, fundedContract, settlement, support, TestService, worker } from './harness';

type Http = () => ReturnType<typeof request>;

interface TrialBalanceBody {
  position: number;
  totalDebits: number;
  totalCredits: number;
  balanced: boolean;
  accounts: { account: string; normalBalance: string; debits: number; credits: number; balance: number }[];
}

const balanceOf = (trial: TrialBalanceBody, account: string) => trial.accounts.find((a) => a.account === account)?.balance ?? 0;
const sumOfBalances = (trial: TrialBalanceBody, prefix: string) =>
  trial.accounts.filter((a) => a.account.startsWith(prefix)).reduce((sum, a) => sum + a.balance, 0);

/** Waits until every projection has applied the head of the log (processes reacting to payouts included). */
async function settled(http: Http): Promise<number> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const statuses = (await http().get('/v1/projections').set('X-Actor-Id', 'auditor-1').set('X-Actor-Role', 'auditor').expect(200)).body.data as { position: number; headPosition: number }[];
    if (statuses.every((s) => s.position === statuses[0].headPosition)) return statuses[0].headPosition;
    if (Date.now() > deadline) throw new Error(`projections did not settle: ${JSON.stringify(statuses)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Three milestones (gross ¥50,000 / ¥30,000 / ¥50,000) paid out, and a second contract refunded by support. */
async function lifecycle(service: TestService) {
  const paid = await fundedContract(service);
  const fundedAt = (await service.get(`/v1/contracts/${paid.contractId}`).expect(200)).body.position as number;
  for (const { milestoneId } of paid.milestones) {
    await service.post(`/v1/contracts/${paid.contractId}/milestones/${milestoneId}/deliver`, worker, { deliverables: [{ uri: 'https://files.example.com/d' }] }).expect(200);
    await service.post(`/v1/contracts/${paid.contractId}/milestones/${milestoneId}/inspect`, client).expect(200);
    await service.post(`/v1/contracts/${paid.contractId}/milestones/${milestoneId}/payout`, settlement).expect(200);
  }
  const refunded = await fundedContract(service, [{ title: 'Extra', amount: 10_000, dueDate: '2026-12-31' }]);
  await service
    .post(`/v1/contracts/${refunded.contractId}/milestones/${refunded.milestones[0].milestoneId}/refund`, support, { reason: 'Client paid twice' })
    .expect(200);
  return { paidContract: paid.contractId, refundedContract: refunded.contractId, fundedAt };
}

describe('the ledger over HTTP', () => {
  let service: TestService;
  let ids: Awaited<ReturnType<typeof lifecycle>>;
  let beforeAnything: string;

  beforeAll(async () => {
    service = await TestService.start();
    beforeAnything = new Date(Date.now() - 1000).toISOString();
    ids = await lifecycle(service);
    await settled(() => service.http());
  });
  afterAll(() => service.stop());

  it('balances after a whole lifecycle: every yen prepaid is in escrow, fee revenue, tax payable or owed to a wallet', async () => {
    const trial = (await service.get('/v1/ledger/trial-balance').expect(200)).body as TrialBalanceBody;
    expect(trial.balanced).toBe(true);
    expect(trial.totalDebits).toBe(trial.totalCredits);
    expect(trial.totalDebits).toBeGreaterThan(0);
    expect(balanceOf(trial, 'gateway-clearing')).toBe(130_000 + 11_000);
    expect(balanceOf(trial, `escrow:${ids.paidContract}`)).toBe(0);
    expect(balanceOf(trial, `escrow:${ids.refundedContract}`)).toBe(0);
    expect(balanceOf(trial, 'fee-revenue')).toBe(23_000);
    expect(balanceOf(trial, 'fee-tax-payable')).toBe(2_300);
    // Net to the worker and the refund to the client: owed to wallets until credited, then in them.
    expect(balanceOf(trial, 'payable-to-wallets') + sumOfBalances(trial, 'wallet:')).toBe(104_700 + 11_000);
    const debitSide = trial.accounts.filter((a) => a.normalBalance === 'debit').reduce((sum, a) => sum + a.balance, 0);
    const creditSide = trial.accounts.filter((a) => a.normalBalance === 'credit').reduce((sum, a) => sum + a.balance, 0);
    expect(debitSide).toBe(creditSide);
  });

  it('answers as of a past position and as of a past instant', async () => {
    const atFunding = (await service.get(`/v1/ledger/trial-balance?asOf=${ids.fundedAt}`).expect(200)).body as TrialBalanceBody;
    expect(atFunding.position).toBe(ids.fundedAt);
    expect(atFunding.balanced).toBe(true);
    expect(balanceOf(atFunding, `escrow:${ids.paidContract}`)).toBe(130_000);
    expect(balanceOf(atFunding, 'fee-revenue')).toBe(0);

    const before = (await service.get(`/v1/ledger/trial-balance?asOf=${encodeURIComponent(beforeAnything)}`).expect(200)).body;
    expect(before).toMatchObject({ position: 0, totalDebits: 0, totalCredits: 0, accounts: [], asOf: beforeAnything });

    const later = new Date(Date.now() + 60_000).toISOString().replace('Z', '+00:00');
    const now = (await service.get('/v1/ledger/trial-balance').expect(200)).body;
    const asOfLater = (await service.get(`/v1/ledger/trial-balance?asOf=${encodeURIComponent(later)}`).expect(200)).body;
    expect(asOfLater.accounts).toEqual(now.accounts);
  });

  it('lists an account with its running balance, page by page', async () => {
    const account = `escrow:${ids.paidContract}`;
    const first = await service.get(`/v1/ledger/accounts/${account}?limit=4`).expect(200);
    expect(first.body).toMatchObject({ account, normalBalance: 'credit', balance: 0, debits: 130_000, credits: 130_000, openingBalance: 0 });
    expect(first.body.data.map((p: { eventType: string; balance: number }) => [p.eventType, p.balance])).toEqual([
      ['EscrowFunded', 50_000],
      ['EscrowFunded', 80_000],
      ['EscrowFunded', 130_000],
      ['MilestonePaidOut', 80_000],
    ]);
    const rest = await service.get(`/v1/ledger/accounts/${account}?limit=4&cursor=${first.body.nextCursor}`).expect(200);
    expect(rest.body.openingBalance).toBe(80_000);
    expect(rest.body.data.map((p: { debit: number; balance: number }) => [p.debit, p.balance])).toEqual([
      [30_000, 50_000],
      [50_000, 0],
    ]);
    expect(rest.body.nextCursor).toBeNull();

    const asOf = await service.get(`/v1/ledger/accounts/${account}?asOf=${ids.fundedAt}`).expect(200);
    expect(asOf.body).toMatchObject({ position: ids.fundedAt, balance: 130_000 });
  });

  it('answers problem+json for an unknown account and for a malformed asOf', async () => {
    const missing = await service.get('/v1/ledger/accounts/escrow:nope').expect(404);
    expect(missing.body.code).toBe('LEDGER_ACCOUNT_NOT_FOUND');
    const bad = await service.get('/v1/ledger/trial-balance?asOf=yesterday').expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'asOf', rule: 'positionOrInstant' })]);
    const paging = await service.get('/v1/ledger/accounts/fee-revenue?limit=5000&after=x').expect(400);
    expect(paging.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['after', 'limit']);
  });

  it('gives the same trial balance after a restart, resuming from its checkpoint', async () => {
    const before = (await service.get('/v1/ledger/trial-balance').expect(200)).body;
    await service.restart();
    const after = (await service.get(`/v1/ledger/trial-balance?minPosition=${before.position}`).expect(200)).body;
    expect(after).toEqual(before);
  });
});

describe('rebuilding the read models while the service is stopped', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'escrow-rebuild-'));
  const env = { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error', SETTLEMENT_POLICY: 'manual', BALANCE_EXPIRY_POLICY: 'manual' };
  let app: NestFastifyApplication | undefined;

  const boot = async () => {
    app = await createApp(loadConfig(env));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return () => request(app!.getHttpServer());
  };

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rebuilds every projection from position zero to the same answers', async () => {
    let http = await boot();
    const post = (path: string, actor: { id: string; role: string }, body: object = {}) =>
      http().post(path).set('X-Actor-Id', actor.id).set('X-Actor-Role', actor.role).send(body);
    const offered = await post('/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: 'Logo', milestones: [{ title: 'Logo', amount: 10_000, dueDate: '2026-12-31' }] }).expect(201);
    const id = offered.body.contractId;
    const m = offered.body.milestones[0].milestoneId;
    await post(`/v1/contracts/${id}/accept`, worker).expect(200);
    await post(`/v1/contracts/${id}/milestones/${m}/prepay`, client, { paymentReference: `pay-${id}-${m}`, method: 'card' }).expect(200);
    await post(`/v1/contracts/${id}/milestones/${m}/deliver`, worker, { deliverables: [] }).expect(200);
    await post(`/v1/contracts/${id}/milestones/${m}/inspect`, client).expect(200);
    await post(`/v1/contracts/${id}/milestones/${m}/payout`, settlement).expect(200);
    const head = await settled(http);
    const answers = async () => ({
      trial: (await http().get(`/v1/ledger/trial-balance?minPosition=${head}`).set('X-Actor-Id', 'auditor-1').set('X-Actor-Role', 'auditor').expect(200)).body,
      fees: (await http().get(`/v1/contracts/${id}/fees?minPosition=${head}`).set('X-Actor-Id', 'auditor-1').set('X-Actor-Role', 'auditor').expect(200)).body,
      contracts: (await http().get(`/v1/workers/${worker.id}/contracts?minPosition=${head}`).set('X-Actor-Id', 'auditor-1').set('X-Actor-Role', 'auditor').expect(200)).body,
      rate: (await http().get(`/v1/clients/${client.id}/completion-rate?minPosition=${head}`).set('X-Actor-Id', 'auditor-1').set('X-Actor-Role', 'auditor').expect(200)).body,
    });
    const before = await answers();
    await app!.close();
    app = undefined;

    const printed: string[] = [];
    const report = await rebuildProjections([], env, (line) => printed.push(line));

    expect(report.targetPosition).toBe(head);
    expect(report.projections.every((p) => p.previousPosition === head && p.position === head)).toBe(true);
    expect(report.eventsRead).toBe(head);
    expect(printed[0]).toMatch(/^Rebuilding ledger, fees, contract-summaries, completion-rates/);
    expect(printed.some((line) => line.includes(`ledger v1: was at ${head}, now at ${head}`))).toBe(true);

    http = await boot();
    expect(await answers()).toEqual(before);
    expect(before.rate).toMatchObject({ completed: 1, ended: 1, rate: '1', atLeast90: true });
  });
});
