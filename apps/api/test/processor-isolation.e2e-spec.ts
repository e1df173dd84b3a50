import { FEES_PROJECTION } from '@escrow/projections/fees/fees.projection';
import { ProjectionRuntime } from '../src/projections/projection-runtime';
import { TestService } from './harness';
import { contractBetween, payOut, uniqueId, walletOf } from './wallets.fixtures';

interface ProcessStatus {
  kind: 'projection' | 'reactor';
  name: string;
  position: number;
  headPosition: number;
  failures: number;
  lastError: string | null;
  failingSince?: string | null;
}

/**
 * A read model that cannot apply an event (here the fee tables made unwritable, as a bug or a damaged table
 * would) stops alone: the other read models and the wallet credits keep up, and it resumes once it can write.
 */
describe('Processors isolated from one another (e2e)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await TestService.start({ env: { LOG_LEVEL: 'fatal' } });
  });

  afterAll(async () => {
    await service.stop();
  });

  const statuses = async () => (await service.get('/v1/projections').expect(200)).body.data as ProcessStatus[];
  const statusOf = async (name: string) => (await statuses()).find((status) => status.name === name)!;

  async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (accept(value)) return value;
      if (Date.now() > deadline) throw new Error(`not reached in time: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('with the fees read model failing, the other read models and the wallet credits keep up; the fees resume once they can write', async () => {
    const db = service.app.get(ProjectionRuntime).db;
    db.exec(`CREATE TRIGGER unwritable_fee_payouts BEFORE INSERT ON fee_payouts BEGIN SELECT RAISE(ABORT, 'fee_payouts is unwritable'); END`);

    const clientId = uniqueId('client');
    const workerId = uniqueId('worker');
    const contract = await contractBetween(service, clientId, workerId, [10_000]);
    const { net, position } = await payOut(service, contract);
    expect(net).toBe(8_580);

    // The wallet credit follows the payout although the fees projection cannot apply it.
    const wallet = await walletOf(service, workerId, position);
    expect(wallet.totalCredited).toBe(8_580);
    // The other read models answer at the payout's position.
    const balance = await service.get(`/v1/ledger/trial-balance?minPosition=${position}`).expect(200);
    expect(balance.body.balanced).toBe(true);
    const summaries = await service.get(`/v1/clients/${clientId}/contracts?minPosition=${position}`).expect(200);
    expect(JSON.stringify(summaries.body)).toContain(contract.contractId);

    // The fees projection reports its failure and is retried; the others are past the payout.
    const failing = await eventually(() => statusOf(FEES_PROJECTION), (status) => status.failures >= 2);
    expect(failing).toMatchObject({ kind: 'projection', lastError: 'fee_payouts is unwritable', failingSince: expect.any(String) });
    expect(failing.position).toBeLessThan(position);
    for (const status of (await statuses()).filter((s) => s.name !== FEES_PROJECTION)) {
      expect({ name: status.name, past: status.position >= position }).toEqual({ name: status.name, past: true });
      if (status.kind === 'projection') expect(status).toMatchObject({ failures: 0, lastError: null, failingSince: null });
    }
    const health = await service.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.details.readModels).toEqual({ status: 'down', message: expect.stringMatching(/read models/), failingSince: failing.failingSince });
    await service.get(`/v1/contracts/${contract.contractId}/fees?minPosition=${position}`).expect(503);

    // Writable again: the fees catch up on their own, with the payout's fee.
    db.exec('DROP TRIGGER unwritable_fee_payouts');
    const resumed = await eventually(() => statusOf(FEES_PROJECTION), (status) => status.position >= position);
    expect(resumed).toMatchObject({ failures: 0, lastError: null, failingSince: null });
    const fees = await service.get(`/v1/contracts/${contract.contractId}/fees?minPosition=${position}`).expect(200);
    expect(JSON.stringify(fees.body)).toContain('2420');
    expect((await service.get('/health')).body.details.readModels).toEqual({ status: 'up' });
  });
});
