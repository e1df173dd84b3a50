import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { impliedLedger, recomputeBooks } from './scenario/books';
import { ChildService } from './scenario/child-service';
import { Acknowledged, CommandStream, Lane, Step } from './scenario/command-stream';
import { headPosition, LoggedEvent, readWholeLog, settledHead } from './scenario/event-log';
import { expectStatus, HttpClient, ScenarioActor } from './scenario/http-client';

/**
 * The real service in a child process, killed with SIGKILL in the middle of a stream of lifecycle
 * commands (once among offers, prepayments and payouts, once right after a burst of payouts, once in
 * a burst of refunds, once while catching up with the wallet credits of the payouts and refunds made
 * while the credit process was down), then started again on the same data each time.
 * Nothing acknowledged may be lost, nothing retried may be applied twice, and every payout and refund
 * must reach exactly one wallet.
 */

type LaneKind = 'paid' | 'refunded' | 'split';

interface ContractState {
  index: number;
  kind: LaneKind;
  client: ScenarioActor;
  worker: ScenarioActor;
  amounts: number[];
  contractId: string;
  milestoneIds: string[];
  grosses: number[];
}

const LANES = 40;
/** The first lanes end by a support termination that splits every milestone. */
const SPLIT_LANES = 8;
const SPLIT_MILESTONES = 5;
const IN_FLIGHT = 8;
const support: ScenarioActor = { id: 'support-crash', role: 'support' };
const settlement: ScenarioActor = { id: 'settlement', role: 'system' };
const DELIVERABLE = { uri: 'https://files.example.com/crash/work.zip' };

const kindOf = (index: number): LaneKind => (index < SPLIT_LANES ? 'split' : index % 2 === 0 ? 'paid' : 'refunded');
const contractPath = (s: ContractState, rest = '') => `/v1/contracts/${s.contractId}${rest}`;
const milestonePath = (s: ContractState, i: number, action: string) => contractPath(s, `/milestones/${s.milestoneIds[i]}/${action}`);

/**
 * Phase 1: offer, accept, prepay every milestone; `paid` and `refunded` lanes also deliver, inspect and
 * pay out the first of their two milestones, then `paid` lanes deliver and inspect the second and
 * `refunded` lanes have part of it refunded. Phase 2, all at once: `paid` lanes pay the second
 * milestone out, `split` lanes are terminated by support, half of each milestone paid out and half
 * refunded (one command, eleven events). Phase 3, all at once: `refunded` lanes refund the rest.
 */
function stepsFor(kind: LaneKind): Step<ContractState>[] {
  const milestones = kind === 'split' ? SPLIT_MILESTONES : 2;
  const steps: Step<ContractState>[] = [
    {
      name: 'offer',
      phase: 1,
      request: (s) => ({
        path: '/v1/contracts',
        actor: s.client,
        status: 201,
        body: {
          clientId: s.client.id,
          workerId: s.worker.id,
          title: `Crash lane ${s.index}`,
          milestones: s.amounts.map((amount, i) => ({ title: `Part ${i + 1}`, amount, dueDate: '2027-06-30' })),
        },
      }),
      absorb: (s, body) => {
        const offered = body as unknown as { contractId: string; milestones: { milestoneId: string }[] };
        s.contractId = offered.contractId;
        s.milestoneIds = offered.milestones.map((m) => m.milestoneId);
      },
    },
    {
      name: 'accept',
      phase: 1,
      request: (s) => ({ path: contractPath(s, '/accept'), actor: s.worker, status: 200, body: {} }),
      absorb: (s, body) => {
        s.grosses = (body as unknown as { milestones: { gross: number }[] }).milestones.map((m) => m.gross);
      },
    },
    ...Array.from({ length: milestones }, (_, i) => ({
      name: `prepay-${i}`,
      phase: 1,
      request: (s: ContractState) => ({ path: milestonePath(s, i, 'prepay'), actor: s.client, status: 200, body: { paymentReference: `crash-${s.index}-${i}`, method: 'card' } }),
    })),
    { name: 'deliver-0', phase: 1, request: (s) => ({ path: milestonePath(s, 0, 'deliver'), actor: s.worker, status: 200, body: { deliverables: [DELIVERABLE] } }) },
  ];
  if (kind === 'split') {
    steps.push({
      name: 'terminate-with-splits',
      phase: 2,
      request: (s) => ({
        path: contractPath(s, '/termination'),
        actor: support,
        status: 200,
        body: { reason: 'Dispute settled half and half', splits: s.milestoneIds.map((milestoneId, i) => ({ milestoneId, payOutGross: Math.floor(s.grosses[i] / 2) })) },
      }),
    });
    return steps;
  }
  steps.push(
    { name: 'inspect-0', phase: 1, request: (s) => ({ path: milestonePath(s, 0, 'inspect'), actor: s.client, status: 200, body: {} }) },
    { name: 'payout-0', phase: 1, request: (s) => ({ path: milestonePath(s, 0, 'payout'), actor: settlement, status: 200, body: {} }) },
  );
  if (kind === 'paid') {
    steps.push(
      { name: 'deliver-1', phase: 1, request: (s) => ({ path: milestonePath(s, 1, 'deliver'), actor: s.worker, status: 200, body: { deliverables: [DELIVERABLE] } }) },
      { name: 'inspect-1', phase: 1, request: (s) => ({ path: milestonePath(s, 1, 'inspect'), actor: s.client, status: 200, body: {} }) },
      { name: 'payout-1', phase: 2, request: (s) => ({ path: milestonePath(s, 1, 'payout'), actor: settlement, status: 200, body: {} }) },
    );
  } else {
    steps.push(
      { name: 'refund-1-part', phase: 1, request: (s) => ({ path: milestonePath(s, 1, 'refund'), actor: support, status: 200, body: { amount: 3_000, reason: 'Part of the work dropped' } }) },
      { name: 'refund-1-rest', phase: 3, request: (s) => ({ path: milestonePath(s, 1, 'refund'), actor: support, status: 200, body: { reason: 'The rest of the work dropped' } }) },
    );
  }
  return steps;
}

/** Events each lane's contract must hold in the end, counted by type (and milestone index). */
function expectedCounts(kind: LaneKind): Record<string, number> {
  const counts: Record<string, number> = { ContractOffered: 1, ContractAccepted: 1, 'MilestoneDelivered#0': 1 };
  const milestones = kind === 'split' ? SPLIT_MILESTONES : 2;
  for (let i = 0; i < milestones; i++) counts[`EscrowFunded#${i}`] = 1;
  if (kind === 'split') {
    for (let i = 0; i < milestones; i++) Object.assign(counts, { [`MilestonePaidOut#${i}`]: 1, [`EscrowRefunded#${i}`]: 1 });
    return { ...counts, ContractTerminated: 1 };
  }
  Object.assign(counts, { 'MilestoneInspected#0': 1, 'MilestonePaidOut#0': 1, ContractCompleted: 1 });
  if (kind === 'paid') return { ...counts, 'MilestoneDelivered#1': 1, 'MilestoneInspected#1': 1, 'MilestonePaidOut#1': 1 };
  return { ...counts, 'EscrowRefunded#1': 2 };
}

const eventsByKey = (events: readonly LoggedEvent[]) => {
  const byKey = new Map<string, LoggedEvent[]>();
  for (const event of events) {
    const key = event.metadata.idempotencyKey;
    if (key === undefined) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), event]);
  }
  return byKey;
};

interface CrashReport {
  label: string;
  acknowledgedBeforeKill: number;
  inFlight: number;
  alreadyApplied: number;
  appliedOnRetry: number;
  /** Acknowledged commands whose events are missing, or whose answer names another position. */
  lostAcknowledged: string[];
  /** Retries that appended a second time, or did not answer with their first answer. */
  badRetries: string[];
  /** Payouts and refunds in the log at the restart that no wallet credit had followed yet. */
  uncreditedAtRestart: number;
  /** Wallet credits at the end of the log, after the last command's events (made while no command came in). */
  creditsSinceLastCommand: number;
}

describe('crash recovery of the real service (SIGKILL in the middle of the command stream)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'escrow-crash-'));
  const started: ChildService[] = [];
  const reports: CrashReport[] = [];
  let stream: CommandStream<ContractState>;
  let events: LoggedEvent[];
  let head: number;
  let http: HttpClient;

  const start = async (projections: 'embedded' | 'off' = 'embedded') => {
    const service = await ChildService.start(dataDir, { projections });
    started.push(service);
    return service;
  };

  /**
   * After a restart: every acknowledged command's events are in the log, ending at the position its
   * answer named; then each command that was in flight is sent again with its key, and must either
   * answer with what it had already done or do it now, once.
   */
  async function recover(service: ChildService, label: string, acknowledgedBeforeKill: number): Promise<void> {
    const logAtRestart = await readWholeLog(service.http);
    const before = eventsByKey(logAtRestart);
    const booksAtRestart = recomputeBooks(logAtRestart);
    const uncreditedAtRestart = booksAtRestart.releases.filter((release) => !booksAtRestart.creditsBySource.has(release.sourceId)).length;
    let creditsSinceLastCommand = 0;
    while (logAtRestart[logAtRestart.length - 1 - creditsSinceLastCommand]?.type === 'WalletCredited') creditsSinceLastCommand++;
    const lostAcknowledged = stream.acknowledged
      .filter((ack) => before.get(ack.key)?.at(-1)?.position !== ack.position)
      .map((ack) => `${ack.key} answered position ${ack.position}, log has ${JSON.stringify(before.get(ack.key)?.map((e) => e.position) ?? [])}`);

    const lanes = stream.lanes.filter((lane) => lane.inFlight !== undefined);
    const retried: { ack: Acknowledged<ContractState>; earlier: LoggedEvent[] | undefined }[] = [];
    for (const lane of lanes) {
      const earlier = before.get(lane.inFlight!.key);
      retried.push({ ack: await stream.retry(service.http, lane), earlier });
    }
    const after = eventsByKey(await readWholeLog(service.http));
    const badRetries: string[] = [];
    for (const { ack, earlier } of retried) {
      const now = after.get(ack.key) ?? [];
      const positions = now.map((e) => e.position);
      const oneAppend = now.length > 0 && positions.every((p, i) => i === 0 || p === positions[i - 1] + 1);
      if (!oneAppend || ack.position !== positions.at(-1)) badRetries.push(`${ack.key}: answered ${ack.position}, log ${JSON.stringify(positions)}`);
      if (earlier && JSON.stringify(earlier.map((e) => e.id)) !== JSON.stringify(now.map((e) => e.id))) {
        badRetries.push(`${ack.key}: appended again on retry`);
      }
    }
    reports.push({
      label,
      acknowledgedBeforeKill,
      inFlight: lanes.length,
      alreadyApplied: retried.filter((r) => r.earlier !== undefined).length,
      appliedOnRetry: retried.filter((r) => r.earlier === undefined).length,
      lostAcknowledged,
      badRetries,
      uncreditedAtRestart,
      creditsSinceLastCommand,
    });
  }

  /** Runs a phase and SIGKILLs the service once `killAfter` commands of it have been acknowledged. */
  async function runAndKill(service: ChildService, phase: number, concurrency: number, killAfter: number): Promise<number> {
    let acknowledged = 0;
    await stream.run(service.http, phase, concurrency, (count) => {
      acknowledged = count;
      if (count === killAfter) {
        service.kill();
        stream.halt();
      }
    });
    if (acknowledged < killAfter) {
      service.kill();
      throw new Error(`phase ${phase} ended after ${acknowledged} commands, before the kill planned after ${killAfter}`);
    }
    await service.exited;
    return acknowledged;
  }

  beforeAll(async () => {
    const t0 = Date.now();
    const lanes = Array.from(
      { length: LANES },
      (_, index) =>
        new Lane<ContractState>(`crash-${index}`, {
          index,
          kind: kindOf(index),
          // A few parties shared by many contracts, so the credit process writes to the same wallets concurrently.
          client: { id: `crash-client-${index % 5}`, role: 'user' },
          worker: { id: `crash-worker-${index % 4}`, role: 'user' },
          amounts: Array.from({ length: kindOf(index) === 'split' ? SPLIT_MILESTONES : 2 }, (_, i) => 10_000 + 1_000 * index + 7_000 * i),
          contractId: '',
          milestoneIds: [],
          grosses: [],
        }, stepsFor(kindOf(index))),
    );
    stream = new CommandStream(lanes);
    const phaseOneCommands = lanes.reduce((sum, lane) => sum + lane.steps.filter((s) => s.phase === 1).length, 0);

    // 1. Killed in the middle of phase 1, with commands of several contracts in flight.
    let service = await start();
    const first = await runAndKill(service, 1, IN_FLIGHT, Math.floor(phaseOneCommands * 0.45));
    service = await start();
    await recover(service, 'kill 1: mid-stream', first);
    await stream.run(service.http, 1, IN_FLIGHT);
    expect(stream.lanes.every((lane) => lane.inFlight === undefined && lane.steps[lane.next].phase > 1)).toBe(true);

    // 2. Killed right after a burst of payouts: the first few answered, the rest in flight.
    const second = await runAndKill(service, 2, LANES, 4);
    // Restarted without its credit process (as when it runs elsewhere and is down), so that credits pile up.
    service = await start('off');
    await recover(service, 'kill 2: after a burst of payouts', second);
    await stream.run(service.http, 2, LANES);
    expect(stream.lanes.every((lane) => lane.inFlight === undefined && (lane.done || lane.steps[lane.next].phase === 3))).toBe(true);

    // 3. Killed in the middle of a burst of refunds.
    const third = await runAndKill(service, 3, LANES, 3);

    // 4. Started with its credit process, which catches up with every payout and refund left uncredited,
    //    and killed as soon as the log is seen to grow: in the middle of crediting.
    service = await start();
    const bootHead = await headPosition(service.http);
    const deadline = Date.now() + 5_000;
    while ((await headPosition(service.http)) === bootHead && Date.now() < deadline);
    service.kill();
    await service.exited;

    service = await start();
    await recover(service, 'kill 3: in a burst of refunds, kill 4: while crediting', third);
    await stream.run(service.http, 3, LANES);
    expect(stream.lanes.every((lane) => lane.done)).toBe(true);

    http = service.http;
    head = await settledHead(http);
    events = await readWholeLog(http);
    console.log(
      `crash recovery: ${LANES} contracts, ${stream.acknowledged.length} commands acknowledged, ${events.length} events, ` +
        `${started.length} starts in ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
        reports.map((r) => `${r.label}: ${r.acknowledgedBeforeKill} acknowledged, ${r.inFlight} in flight (${r.alreadyApplied} already applied, ${r.appliedOnRetry} applied on retry), ${r.uncreditedAtRestart} uncredited, ${r.creditsSinceLastCommand} credits after the last command`).join('; '),
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('killed the service with commands in flight each time, and lost no acknowledged command', () => {
    expect(reports.map((r) => r.label)).toEqual(['kill 1: mid-stream', 'kill 2: after a burst of payouts', 'kill 3: in a burst of refunds, kill 4: while crediting']);
    for (const report of reports) expect(report.inFlight).toBeGreaterThan(1);
    for (const report of reports) expect(report.lostAcknowledged).toEqual([]);
    // And still at the end: every acknowledged answer names the last event its command appended.
    const byKey = eventsByKey(events);
    expect(stream.acknowledged.filter((ack) => byKey.get(ack.key)?.at(-1)?.position !== ack.position).map((ack) => ack.key)).toEqual([]);
    expect(stream.acknowledged.length).toBe(stream.lanes.reduce((sum, lane) => sum + lane.steps.length, 0));
  });

  it('applied every retried command once, or answered it with its first answer', () => {
    for (const report of reports) expect(report.badRetries).toEqual([]);
    // Each command's events are one append: consecutive positions and revisions of one stream.
    const doubled = [...eventsByKey(events)].filter(([, list]) =>
      list.some((e, i) => i > 0 && (e.position !== list[i - 1].position + 1 || e.streamId !== list[0].streamId || e.revision !== list[i - 1].revision + 1)),
    );
    expect(doubled.map(([key]) => key)).toEqual([]);
  });

  it('ended every contract as the stream drove it: one prepayment per milestone, every settlement once', async () => {
    const perContract = new Map<string, Record<string, number>>();
    for (const event of events) {
      const contractId = event.data.contractId as string | undefined;
      if (!contractId || !event.streamId.startsWith('contract-')) continue;
      const counts = perContract.get(contractId) ?? {};
      const milestone = stream.lanes.find((l) => l.state.contractId === contractId)?.state.milestoneIds.indexOf(event.data.milestoneId);
      const name = milestone === undefined || milestone < 0 ? event.type : `${event.type}#${milestone}`;
      counts[name] = (counts[name] ?? 0) + 1;
      perContract.set(contractId, counts);
    }
    expect(perContract.size).toBe(LANES);
    for (const lane of stream.lanes) {
      expect({ lane: lane.name, counts: perContract.get(lane.state.contractId) }).toEqual({ lane: lane.name, counts: expectedCounts(lane.state.kind) });
      const contract = await expectStatus<{ status: string; totals: { escrow: number } }>(http.get(`/v1/contracts/${lane.state.contractId}`), 200, 'contract');
      expect(contract).toMatchObject({ status: lane.state.kind === 'split' ? 'terminated' : 'completed', totals: { escrow: 0 } });
    }
  });

  it('credited every payout and refund to exactly one wallet, once', () => {
    const books = recomputeBooks(events);
    const releasesPerLane = { paid: 2, refunded: 3, split: 2 * SPLIT_MILESTONES };
    expect(books.releases.length).toBe(stream.lanes.reduce((sum, lane) => sum + releasesPerLane[lane.state.kind], 0));
    const wrong = books.releases.filter((release) => {
      const credits = books.creditsBySource.get(release.sourceId) ?? [];
      return credits.length !== 1 || credits[0].accountId !== release.accountId || credits[0].amount !== release.amount;
    });
    expect(wrong).toEqual([]);
    expect(events.filter((e) => e.type === 'WalletCredited').length).toBe(books.releases.length);
  });

  it('balances: debits equal credits, nothing is left owed to wallets, and every account is what the events imply', async () => {
    const trial = await expectStatus<{
      position: number;
      balanced: boolean;
      totalDebits: number;
      totalCredits: number;
      accounts: { account: string; balance: number }[];
    }>(http.get(`/v1/ledger/trial-balance?minPosition=${head}`), 200, 'trial balance');
    expect(trial.position).toBe(head);
    expect(trial.balanced).toBe(true);
    expect(trial.totalDebits).toBe(trial.totalCredits);
    const balances = new Map(trial.accounts.map((a) => [a.account, a.balance]));
    expect(balances.get('payable-to-wallets') ?? 0).toBe(0);
    const implied = impliedLedger(recomputeBooks(events));
    const names = new Set([...balances.keys(), ...implied.keys()]);
    expect([...names].filter((name) => (balances.get(name) ?? 0) !== (implied.get(name) ?? 0))).toEqual([]);
    expect(balances.get('fee-revenue')).toBeGreaterThan(0);
  });
});
