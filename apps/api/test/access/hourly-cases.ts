import { weekBeginsAt, weekStartOf } from '@escrow/domain/hourly';
import type { TestService } from '../harness';
import { uniqueId, user } from '../wallets.fixtures';
import type { RouteCase } from './route-cases';

/** How far the clock moves for a client's dispute: into the review window of the week the hours were recorded in. */
export const INTO_REVIEW_WINDOW_MS = 8 * 24 * 3600 * 1000;

const ok = async (pending: PromiseLike<{ status: number; body: unknown }>, status: number, what: string) => {
  const res = await pending;
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { contractId: string };
};

/** Hourly contracts for the matrix, each fresh: offered, accepted and prepaid, with a quarter hour recorded, disputed. */
class HourlyWorld {
  constructor(private readonly service: TestService) {}

  async offered() {
    const client = user(uniqueId('client'));
    const worker = user(uniqueId('worker'));
    const body = { clientId: client.id, workerId: worker.id, title: 'Support desk', hourlyRate: 2_000, weeklyLimitHours: 10 };
    const { contractId } = await ok(this.service.post('/v1/hourly-contracts', client, body), 201, 'hourly offer');
    return { contractId, client, worker, path: `/v1/hourly-contracts/${contractId}` };
  }

  async accepted() {
    const contract = await this.offered();
    await ok(this.service.post(`${contract.path}/accept`, contract.worker, {}), 200, 'hourly accept');
    return contract;
  }

  async funded() {
    const contract = await this.accepted();
    await ok(this.service.post(`${contract.path}/prepay`, contract.client, { paymentReference: uniqueId('pay'), method: 'card' }), 200, 'hourly prepay');
    return contract;
  }

  /** A report of the first quarter hour of the current work week (now must be past it). */
  report() {
    const weekStart = weekStartOf(this.service.clock.now().toISOString());
    const periodStart = weekBeginsAt(weekStart);
    return { reportId: uniqueId('report'), weekStart, periodStart, periodEnd: new Date(Date.parse(periodStart) + 15 * 60_000).toISOString(), minutes: 15 };
  }

  async recorded() {
    const contract = await this.funded();
    const report = this.report();
    await ok(this.service.post(`${contract.path}/hours`, contract.worker, report), 200, 'hourly hours');
    return { ...contract, weekStart: report.weekStart };
  }

  /** Disputed in its review window; the clock is moved there for the dispute and back. */
  async disputed() {
    const contract = await this.recorded();
    this.service.clock.advance(INTO_REVIEW_WINDOW_MS);
    try {
      await ok(this.service.post(`${contract.path}/weeks/${contract.weekStart}/dispute`, contract.client, { minutes: 15, reason: 'Not worked' }), 200, 'hourly dispute');
    } finally {
      this.service.clock.advance(-INTO_REVIEW_WINDOW_MS);
    }
    return contract;
  }
}

const STAFF = ['support', 'system', 'auditor'] as const;
const worlds = new WeakMap<TestService, HourlyWorld>();
const hourly = (service: TestService) => worlds.get(service) ?? worlds.set(service, new HourlyWorld(service)).get(service)!;

/** The hourly contract's routes: who may call each, and a request the allowed callers win. */
export const HOURLY_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /v1/hourly-contracts/{contractId}': {
    allowed: ['party', ...STAFF],
    status: 200,
    prepare: async (world) => {
      const contract = await hourly(world.service).funded();
      return { path: contract.path, party: contract.client };
    },
  },
  'GET /v1/hourly-contracts/{contractId}/history': {
    allowed: ['party', ...STAFF],
    status: 200,
    prepare: async (world) => {
      const contract = await hourly(world.service).funded();
      return { path: `${contract.path}/history`, party: contract.worker };
    },
  },
  'POST /v1/hourly-contracts': {
    allowed: ['party'],
    status: 201,
    prepare: async () => {
      const party = user(uniqueId('client'));
      return { path: '/v1/hourly-contracts', body: { clientId: party.id, workerId: uniqueId('worker'), title: 'Support desk', hourlyRate: 2_000, weeklyLimitHours: 10 }, party };
    },
  },
  'POST /v1/hourly-contracts/{contractId}/accept': {
    allowed: ['party'],
    status: 200,
    prepare: async (world) => {
      const contract = await hourly(world.service).offered();
      return { path: `${contract.path}/accept`, body: {}, party: contract.worker };
    },
  },
  'POST /v1/hourly-contracts/{contractId}/prepay': {
    allowed: ['party'],
    status: 200,
    prepare: async (world) => {
      const contract = await hourly(world.service).accepted();
      return { path: `${contract.path}/prepay`, body: { paymentReference: uniqueId('pay'), method: 'card' }, party: contract.client };
    },
  },
  'POST /v1/hourly-contracts/{contractId}/hours': {
    allowed: ['party'],
    status: 200,
    prepare: async (world) => {
      const contract = await hourly(world.service).funded();
      return { path: `${contract.path}/hours`, body: hourly(world.service).report(), party: contract.worker };
    },
  },
  // The client disputes in the review window: the matrix moves the clock there for the allowed call.
  'POST /v1/hourly-contracts/{contractId}/weeks/{weekStart}/dispute': {
    allowed: ['party'],
    status: 200,
    prepare: async (world) => {
      const contract = await hourly(world.service).recorded();
      return { path: `${contract.path}/weeks/${contract.weekStart}/dispute`, body: { minutes: 15, reason: 'Not worked' }, party: contract.client };
    },
  },
  'POST /v1/hourly-contracts/{contractId}/weeks/{weekStart}/settle-dispute': {
    allowed: ['support'],
    status: 200,
    prepare: async (world) => {
      const contract = await hourly(world.service).disputed();
      return { path: `${contract.path}/weeks/${contract.weekStart}/settle-dispute`, body: { awardedMinutes: 0, reason: 'No record of the work' }, party: contract.client };
    },
  },
  'POST /v1/hourly-contracts/{contractId}/end': {
    allowed: ['party', 'support'],
    status: 200,
    prepare: async (world) => {
      const contract = await hourly(world.service).funded();
      return { path: `${contract.path}/end`, body: { reason: 'Project over' }, party: contract.client };
    },
  },
};
