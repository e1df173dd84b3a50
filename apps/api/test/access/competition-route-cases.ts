import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor, TestService } from '../harness';
import { uniqueId, user } from '../wallets.fixtures';
import type { CallerKind, PreparedRequest, RouteCase } from './route-cases';

/** Who may call each competition route (docs/formats.md, Competitions), for the access matrix. */

const STAFF = ['support', 'system', 'auditor'] as const;
const PROPOSAL = { title: 'Round logo', deliverables: [{ uri: 'https://files.example.com/logo.png' }] };

interface TestCompetition {
  competitionId: string;
  client: Actor;
  proposalId?: string;
}

async function expectStatus(pending: PromiseLike<{ status: number; body: Record<string, unknown> }>, status: number, what: string) {
  const res = await pending;
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A competition drafted by a new client, taken as far as `stage`; `deadlineInMs` from now (a week by default). */
async function competition(service: TestService, stage: 'drafted' | 'prepaid' | 'open' | 'proposed', deadlineInMs = 7 * 24 * 3600 * 1000): Promise<TestCompetition> {
  const client = user(uniqueId('client'));
  const deadline = new Date(service.clock.now().getTime() + deadlineInMs).toISOString();
  const drafted = await expectStatus(service.post('/v1/competitions', client, { title: 'Logo', brief: 'Round', prize: 10_000, deadline }), 201, 'draft');
  const competitionId = drafted.competitionId as string;
  const at = `/v1/competitions/${competitionId}`;
  if (stage === 'drafted') return { competitionId, client };
  await expectStatus(service.post(`${at}/prepay`, client, { paymentReference: uniqueId('pay'), method: 'card' }), 200, 'prepay');
  if (stage === 'prepaid') return { competitionId, client };
  await expectStatus(service.post(`${at}/publish`, client, {}), 200, 'publish');
  if (stage === 'open') return { competitionId, client };
  const proposed = await expectStatus(service.post(`${at}/proposals`, user(uniqueId('designer')), PROPOSAL), 201, 'propose');
  return { competitionId, client, proposalId: (proposed.proposals as { proposalId: string }[])[0].proposalId };
}

type Prepare = (service: TestService, kind: CallerKind) => Promise<PreparedRequest>;
const routeCase = (allowed: readonly CallerKind[], status: number, prepare: Prepare): RouteCase => ({ allowed, status, prepare: (world, kind) => prepare(world.service, kind) });

const SUPPORT_WAIT_MS = 1_500;

export const COMPETITION_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /v1/competitions/{competitionId}': routeCase(['party', ...STAFF], 200, async (service) => {
    const { competitionId, client } = await competition(service, 'open');
    return { path: `/v1/competitions/${competitionId}`, party: client };
  }),
  'GET /v1/competitions/{competitionId}/history': routeCase(['party', ...STAFF], 200, async (service) => {
    const { competitionId, client } = await competition(service, 'open');
    return { path: `/v1/competitions/${competitionId}/history`, party: client };
  }),
  // Any user may draft a competition of their own.
  'POST /v1/competitions': routeCase(['party', 'stranger'], 201, async () => ({
    path: '/v1/competitions',
    body: { title: 'Logo', brief: 'Round', prize: 10_000, deadline: '2100-01-01T00:00:00Z' },
    party: user(uniqueId('client')),
  })),
  'POST /v1/competitions/{competitionId}/prepay': routeCase(['party'], 200, async (service) => {
    const { competitionId, client } = await competition(service, 'drafted');
    return { path: `/v1/competitions/${competitionId}/prepay`, body: { paymentReference: uniqueId('pay'), method: 'card' }, party: client };
  }),
  'POST /v1/competitions/{competitionId}/publish': routeCase(['party'], 200, async (service) => {
    const { competitionId, client } = await competition(service, 'prepaid');
    return { path: `/v1/competitions/${competitionId}/publish`, body: {}, party: client };
  }),
  // Any user but the competition's client may enter it (competitions.e2e-spec.ts refuses the client).
  'POST /v1/competitions/{competitionId}/proposals': routeCase(['party', 'stranger'], 201, async (service) => {
    const { competitionId } = await competition(service, 'open');
    return { path: `/v1/competitions/${competitionId}/proposals`, body: PROPOSAL, party: user(uniqueId('designer')) };
  }),
  'POST /v1/competitions/{competitionId}/proposals/{proposalId}/adopt': routeCase(['party'], 200, async (service) => {
    const { competitionId, client, proposalId } = await competition(service, 'proposed');
    return { path: `/v1/competitions/${competitionId}/proposals/${proposalId}/adopt`, body: {}, party: client };
  }),
  // The client closes a draft at any time; support closes, after the deadline, a competition none of whose proposals met the brief.
  'POST /v1/competitions/{competitionId}/close': routeCase(['party', 'support'], 200, async (service, kind) => {
    if (kind !== 'support') {
      const { competitionId, client } = await competition(service, 'drafted');
      return { path: `/v1/competitions/${competitionId}/close`, body: {}, party: client };
    }
    const { competitionId, client } = await competition(service, 'proposed', SUPPORT_WAIT_MS);
    await sleep(SUPPORT_WAIT_MS);
    return { path: `/v1/competitions/${competitionId}/close`, body: { reason: 'No proposal met the brief' }, party: client };
  }),
};
