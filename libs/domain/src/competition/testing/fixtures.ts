import type { Actor } from '../../shared/actor';
import { deciderSpec } from '../../testing/given-when-then';
import type { CompetitionCommand } from '../commands';
import type { CompetitionEvent, CompetitionProposalAdopted, CompetitionProposalSubmitted } from '../events';
import { competitionDecider } from '../decider';

/**
 * Shared scenario for the competition specs: a logo competition whose ex-tax prize of ¥45,455 is ¥50,000 with 10%
 * tax. Expected events are written out by hand, never derived from the decider under test.
 */
export const given = deciderSpec(competitionDecider).given;

export const COMPETITION_ID = 'logo-2026';
export const CLIENT: Actor = { id: 'client-1', role: 'user' };
export const WORKER: Actor = { id: 'worker-1', role: 'user' };
export const OTHER_WORKER: Actor = { id: 'worker-2', role: 'user' };
export const SUPPORT: Actor = { id: 'support-1', role: 'support' };

export const DRAFTED_AT = '2026-04-01T00:00:00Z';
export const PUBLISHED_AT = '2026-04-02T00:00:00Z';
export const SUBMITTED_AT = '2026-04-10T00:00:00Z';
export const DEADLINE = '2026-04-30T15:00:00Z';
export const AFTER_DEADLINE = '2026-05-07T00:00:00Z';
export const PRIZE_GROSS = 50_000;

const base = { competitionId: COMPETITION_ID, clientId: CLIENT.id };

export const drafted: CompetitionEvent = {
  type: 'CompetitionDrafted',
  data: {
    ...base,
    title: 'A logo for our bakery',
    brief: 'A round logo in two colours',
    prize: 45_455,
    prizeGross: PRIZE_GROSS,
    taxRate: '0.10',
    feeScheduleId: 'crowdworks-2019-10',
    deadline: DEADLINE,
    draftedAt: DRAFTED_AT,
  },
};

export const prepaid = (n = 1, escrowAfter = PRIZE_GROSS): CompetitionEvent => ({
  type: 'CompetitionPrizePrepaid',
  data: { ...base, prizeId: `prize-${n}`, amount: PRIZE_GROSS, paymentReference: `pay-${n}`, method: 'card', escrowAfter },
});

export const published: CompetitionEvent = { type: 'CompetitionPublished', data: { ...base, publishedAt: PUBLISHED_AT } };

export const submitted = (proposalId: string, worker: Actor = WORKER): CompetitionProposalSubmitted => ({
  type: 'CompetitionProposalSubmitted',
  data: { ...base, proposalId, workerId: worker.id, title: `Logo ${proposalId}`, deliverables: [{ uri: `https://files.example.com/${proposalId}.png` }], submittedAt: SUBMITTED_AT },
});

/** ¥50,000 counted from ¥0: 20 % is ¥10,000, tax ¥1,000, so ¥39,000 to the worker. */
export const adopted = (proposalId: string, prizeId: string, worker: Actor = WORKER, adoptedAt = AFTER_DEADLINE): CompetitionProposalAdopted => ({
  type: 'CompetitionProposalAdopted',
  data: {
    ...base,
    proposalId,
    prizeId,
    workerId: worker.id,
    gross: 50_000,
    feeExTax: 10_000,
    feeTax: 1_000,
    fee: 11_000,
    net: 39_000,
    tiers: [
      { rate: '0.20', from: 0, upTo: 100_000, grossInTier: 50_000 },
      { rate: '0.10', from: 100_000, upTo: 200_000, grossInTier: 0 },
      { rate: '0.05', from: 200_000, upTo: null, grossInTier: 0 },
    ],
    cumulativeGrossBefore: 0,
    cumulativeGrossAfter: 50_000,
    cumulativeFeeAfter: 11_000,
    scheduleId: 'crowdworks-2019-10',
    taxRate: '0.10',
    adoptedAt,
    escrowAfter: 0,
  },
});

export const open: CompetitionEvent[] = [drafted, prepaid(), published];

type Fields<Type extends CompetitionCommand['type']> = Omit<Extract<CompetitionCommand, { type: Type }>, 'type' | 'competitionId' | 'actor' | 'at'>;

export const command = <Type extends CompetitionCommand['type']>(type: Type, actor: Actor, at: string, fields: Fields<Type>): CompetitionCommand =>
  ({ type, competitionId: COMPETITION_ID, actor, at, ...fields }) as CompetitionCommand;
