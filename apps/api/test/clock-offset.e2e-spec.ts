import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildService } from './scenario/child-service';
import { expectStatus, ScenarioActor } from './scenario/http-client';

const DAY_MS = 86_400_000;
const OFFSET_MS = 8 * DAY_MS;
const client: ScenarioActor = { id: 'offset-client', role: 'user' };
const worker: ScenarioActor = { id: 'offset-worker', role: 'user' };
const settlement: ScenarioActor = { id: 'settlement', role: 'system' };

interface HistoryEvent {
  type: string;
  occurredAt: string;
  recordedAt: string;
}

/** `at` lies within [from, to] shifted by the offset (a second of slack for the rounding of the log's times). */
function expectShifted(at: string, from: number, to: number): void {
  expect(Date.parse(at)).toBeGreaterThanOrEqual(from + OFFSET_MS - 1_000);
  expect(Date.parse(at)).toBeLessThanOrEqual(to + OFFSET_MS + 1_000);
}

/**
 * The service as operators start it, with CLOCK_OFFSET=P8D: it says so at start with the time it runs at, and
 * every command time, recordedAt and time-dependent read follows the shifted clock, not the host's.
 */
describe('a service started with CLOCK_OFFSET=P8D', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'escrow-clock-offset-'));
  let service: ChildService;
  let startedFrom: number;

  beforeAll(async () => {
    startedFrom = Date.now();
    service = await ChildService.start(dataDir, { env: { CLOCK_OFFSET: 'P8D', LOG_LEVEL: 'warn' }, keepStdout: true });
  }, 90_000);

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('announces the offset at start, with the shifted time and the system time', () => {
    const lines = service.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    const announcement = lines.find((line) => line.msg.startsWith('CLOCK_OFFSET=P8D:'));
    expect(announcement).toBeDefined();
    expect(announcement!.level).toBe('warn');
    const [, shifted, system] = /reads (\S+) \(system time (\S+)\)/.exec(announcement!.msg)!;
    expect(Date.parse(shifted) - Date.parse(system)).toBe(OFFSET_MS);
    expect(Date.parse(system)).toBeGreaterThanOrEqual(startedFrom - 1_000);
    expect(Date.parse(system)).toBeLessThanOrEqual(Date.now());
  });

  it("stamps a command's occurredAt and recordedAt, the balance's expiry and the ledger's instants with the shifted clock", async () => {
    const from = Date.now();
    const offered = await expectStatus<{ contractId: string; milestones: { milestoneId: string }[] }>(
      service.http.post('/v1/contracts', client, {
        clientId: client.id,
        workerId: worker.id,
        title: 'Logo',
        milestones: [{ title: 'Logo', amount: 45_455, dueDate: '2027-03-31' }],
      }),
      201,
      'offer',
    );
    const contract = `/v1/contracts/${offered.contractId}`;
    const milestone = `${contract}/milestones/${offered.milestones[0].milestoneId}`;
    await expectStatus(service.http.post(`${contract}/accept`, worker), 200, 'accept');
    await expectStatus(
      service.http.post(`${milestone}/prepay`, client, { paymentReference: 'offset-pay-1', method: 'card' }),
      200,
      'prepay',
    );
    await expectStatus(
      service.http.post(`${milestone}/deliver`, worker, { deliverables: [{ uri: 'https://files.example.com/logo.zip' }] }),
      200,
      'deliver',
    );
    await expectStatus(service.http.post(`${milestone}/inspect`, client), 200, 'inspect');
    const paid = await expectStatus<{ position: number }>(service.http.post(`${milestone}/payout`, settlement), 200, 'payout');
    const to = Date.now();

    const history = await expectStatus<{ events: HistoryEvent[] }>(service.http.get(`${contract}/history`), 200, 'history');
    expect(history.events.map((event) => event.type)).toContain('MilestonePaidOut');
    for (const event of history.events) {
      expectShifted(event.occurredAt, from, to);
      expectShifted(event.recordedAt, from, to);
    }

    // The credit's expiry is 180 days after it was made, by the shifted clock.
    const wallet = await expectStatus<{ available: number; expiringWithin30Days: number; nextExpiresAt: string }>(
      service.http.get(`/v1/accounts/${worker.id}/wallet?minPosition=${paid.position}`),
      200,
      'wallet',
    );
    expect(wallet.available).toBe(39_000);
    expect(wallet.expiringWithin30Days).toBe(0);
    expectShifted(wallet.nextExpiresAt, from + 180 * DAY_MS, Date.now() + 180 * DAY_MS);

    // As of the host's time, the ledger holds none of it: every event was recorded eight days later.
    const asOfHost = await expectStatus<{ position: number }>(
      service.http.get(`/v1/ledger/trial-balance?asOf=${encodeURIComponent(new Date().toISOString())}`),
      200,
      'trial balance as of the host time',
    );
    expect(asOfHost.position).toBe(0);
    const shiftedNow = encodeURIComponent(new Date(Date.now() + OFFSET_MS + 1_000).toISOString());
    let asOfShifted = { position: 0, balanced: false };
    for (const deadline = Date.now() + 10_000; asOfShifted.position < paid.position && Date.now() < deadline;) {
      asOfShifted = await expectStatus(
        service.http.get(`/v1/ledger/trial-balance?asOf=${shiftedNow}`),
        200,
        'trial balance as of the shifted time',
      );
      if (asOfShifted.position < paid.position) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The payout and the wallet credit the process made after it, both recorded by now on the shifted clock.
    expect(asOfShifted.position).toBeGreaterThanOrEqual(paid.position);
    expect(asOfShifted.balanced).toBe(true);
  });
});
