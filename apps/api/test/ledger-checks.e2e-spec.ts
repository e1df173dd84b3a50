import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@escrow/event-store/port';
import { ProjectionRuntime } from '../src/projections/projection-runtime';
import { client, fundedContract, settlement, support, TestService, worker } from './harness';

interface Violation {
  subjectKind: string;
  subject: string;
  position: number | null;
  expected: number;
  actual: number;
  detail: string;
}

interface ChecksBody {
  position: number;
  passed: boolean;
  asOf: string | null;
  checks: { name: string; description: string; passed: boolean; violations: Violation[]; violationCount: number }[];
}

const CHECK_NAMES = [
  'journal-balanced',
  'running-totals',
  'escrow-non-negative',
  'escrow-reconciles',
  'wallet-non-negative',
  'wallet-reconciles',
  'fee-revenue-reconciles',
];

/** One milestone of ¥10,000 ex tax (gross ¥11,000) funded, delivered, inspected and paid out; resolves with the contract id and the payout's position. */
async function paidOut(service: TestService): Promise<{ contractId: string; position: number }> {
  const { contractId, milestones } = await fundedContract(service, [{ title: 'Logo', amount: 10_000, dueDate: '2026-12-31' }]);
  const milestone = `/v1/contracts/${contractId}/milestones/${milestones[0].milestoneId}`;
  await service.post(`${milestone}/deliver`, worker, { deliverables: [{ uri: 'https://files.example.com/logo.zip' }] }).expect(200);
  await service.post(`${milestone}/inspect`, client).expect(200);
  const payout = await service.post(`${milestone}/payout`, settlement).expect(200);
  return { contractId, position: payout.body.position as number };
}

const checkNamed = (body: ChecksBody, name: string) => body.checks.find((check) => check.name === name)!;

describe('the ledger checks over HTTP', () => {
  let service: TestService;
  let paid: { contractId: string; position: number };
  let beforeAnything: string;

  beforeAll(async () => {
    service = await TestService.start();
    beforeAnything = new Date(Date.now() - 1000).toISOString();
    paid = await paidOut(service);
    const refunded = await fundedContract(service, [{ title: 'Extra', amount: 5_000, dueDate: '2026-12-31' }]);
    await service
      .post(`/v1/contracts/${refunded.contractId}/milestones/${refunded.milestones[0].milestoneId}/refund`, support, {
        reason: 'Client paid twice',
      })
      .expect(200);
  });
  afterAll(() => service.stop());

  it('lists every check, each passed with no violation, on books the service kept, and the trial balance says balanced', async () => {
    const head = (await service.get('/v1/audit/events?limit=1').expect(200)).body.headPosition as number;
    const body = (await service.get(`/v1/ledger/checks?minPosition=${head}`).expect(200)).body as ChecksBody;
    expect(body).toMatchObject({ passed: true, asOf: null });
    expect(body.position).toBeGreaterThanOrEqual(paid.position);
    expect(body.checks.map(({ name, passed, violations, violationCount }) => ({ name, passed, violations, violationCount }))).toEqual(
      CHECK_NAMES.map((name) => ({ name, passed: true, violations: [], violationCount: 0 })),
    );
    expect(body.checks.every((check) => check.description.length > 0)).toBe(true);

    const trial = (await service.get(`/v1/ledger/trial-balance?asOf=${body.position}`).expect(200)).body;
    expect(trial).toMatchObject({ position: body.position, balanced: true, failedChecks: [], uncheckedChecks: [] });
  });

  it('answers as of a global position and as of an instant, echoing asOf', async () => {
    const atPayout = (await service.get(`/v1/ledger/checks?asOf=${paid.position}`).expect(200)).body as ChecksBody;
    expect(atPayout).toMatchObject({ position: paid.position, passed: true, asOf: String(paid.position) });

    const before = (await service.get(`/v1/ledger/checks?asOf=${encodeURIComponent(beforeAnything)}`).expect(200)).body as ChecksBody;
    expect(before).toMatchObject({ position: 0, passed: true, asOf: beforeAnything });
    expect(before.checks).toHaveLength(CHECK_NAMES.length);

    const later = new Date(Date.now() + 60_000).toISOString().replace('Z', '+00:00');
    const now = (await service.get('/v1/ledger/checks').expect(200)).body as ChecksBody;
    const asOfLater = (await service.get(`/v1/ledger/checks?asOf=${encodeURIComponent(later)}`).expect(200)).body as ChecksBody;
    expect(asOfLater.position).toBeGreaterThanOrEqual(now.position);
    expect(asOfLater.passed).toBe(true);
  });

  it('refuses a malformed asOf, an unknown parameter and a repeated one with problem+json naming the field and rule', async () => {
    const cases: [string, string, string][] = [
      ['/v1/ledger/checks?asOf=yesterday', 'asOf', 'positionOrInstant'],
      ['/v1/ledger/checks?asOf=2027-02-30T00:00:00Z', 'asOf', 'positionOrInstant'],
      ['/v1/ledger/checks?asOf=-1', 'asOf', 'positionOrInstant'],
      ['/v1/ledger/checks?check=escrow', 'check', 'unknownField'],
      ['/v1/ledger/checks?asOf=1&asOf=2', 'asOf', 'single'],
    ];
    for (const [path, field, rule] of cases) {
      const refused = await service.get(path).expect(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field, rule })]);
    }
  });

  it('is for staff only: a user, even a party to every contract, is refused', async () => {
    const refused = await service.get('/v1/ledger/checks', worker).expect(403);
    expect(refused.body.code).toBe('STAFF_ONLY');
    await service.get('/v1/ledger/checks', support).expect(200);
    await service.get('/v1/ledger/checks', settlement).expect(200);
    await service.get('/v1/ledger/checks', client).expect(403);
  });
});

describe('the ledger checks on a log whose funding was edited', () => {
  let service: TestService;
  afterAll(() => service.stop());

  it('lists escrow-non-negative failing for that contract at −¥9,900, and the trial balance is no longer balanced', async () => {
    service = await TestService.start();
    const genuine = await paidOut(service);
    const store = service.app.get<EventStore>(EVENT_STORE);
    // The same funding and payout under another contract, the funding edited from ¥11,000 to ¥1,100 as if in the file.
    const edited = randomUUID();
    const money = (await store.readStream(`contract-${genuine.contractId}`)).filter((event) =>
      ['EscrowFunded', 'MilestonePaidOut'].includes(event.type),
    );
    expect(money.map((event) => [event.type, event.data.amount ?? event.data.gross])).toEqual([
      ['EscrowFunded', 11_000],
      ['MilestonePaidOut', 11_000],
    ]);
    const copies = money.map(({ type, data, metadata }) => ({
      id: randomUUID(),
      type,
      data: { ...data, contractId: edited, ...(type === 'EscrowFunded' ? { amount: 1_100 } : {}) },
      metadata,
    }));
    const { position: head } = await store.append(`contract-${edited}`, copies, 'any');

    const body = (await service.get(`/v1/ledger/checks?minPosition=${head}`).expect(200)).body as ChecksBody;
    expect(body.passed).toBe(false);
    expect(body.checks.filter((check) => !check.passed).map((check) => check.name)).toEqual(['escrow-non-negative']);
    expect(checkNamed(body, 'escrow-non-negative')).toMatchObject({
      violationCount: 1,
      violations: [{ subjectKind: 'contract', subject: edited, position: head, expected: 0, actual: -9_900 }],
    });
    expect(checkNamed(body, 'escrow-non-negative').violations[0].detail).toContain('−¥9,900');
    // Every transaction balances and the escrow reconciles with its own postings: only the sign gives it away.
    expect(checkNamed(body, 'journal-balanced').passed).toBe(true);

    const trial = (await service.get(`/v1/ledger/trial-balance?minPosition=${head}`).expect(200)).body;
    expect(trial).toMatchObject({ balanced: false, failedChecks: ['escrow-non-negative'], uncheckedChecks: [] });
    expect(trial.totalDebits).toBe(trial.totalCredits);
    expect(trial.accounts).toContainEqual(expect.objectContaining({ account: `escrow:${edited}`, balance: -9_900 }));

    // As of the genuine payout, before the edited events, the books were sound.
    const before = (await service.get(`/v1/ledger/checks?asOf=${genuine.position}`).expect(200)).body as ChecksBody;
    expect(before.passed).toBe(true);
  });
});

describe('the ledger checks while the fees read model cannot reach the position', () => {
  let service: TestService;
  afterAll(() => service.stop());

  it('the trial balance answers with the fee check unchecked, and the checks answer 503 PROJECTION_BEHIND rather than a partial report', async () => {
    service = await TestService.start();
    service.app
      .get(ProjectionRuntime)
      .db.exec(`CREATE TRIGGER unwritable_fee_payouts BEFORE INSERT ON fee_payouts BEGIN SELECT RAISE(ABORT, 'fee_payouts is unwritable'); END`);
    const { position } = await paidOut(service);

    const trial = (await service.get(`/v1/ledger/trial-balance?minPosition=${position}`).expect(200)).body;
    expect(trial).toMatchObject({ balanced: true, failedChecks: [], uncheckedChecks: ['fee-revenue-reconciles'] });
    expect(trial.position).toBeGreaterThanOrEqual(position);

    const behind = await service.get(`/v1/ledger/checks?minPosition=${position}`).expect(503);
    expect(behind.body).toMatchObject({ code: 'PROJECTION_BEHIND', projections: [{ name: 'fees', position: expect.any(Number) }] });
    expect(behind.headers['retry-after']).toBe('1');
  }, 15_000);
});
