import type { Deliverable, PaymentMethod } from '../contract/commands';
import type { PayoutFigures } from '../escrow/movement';
import { eventGuardOf } from '../shared/decider';

/** Events of a competition's stream. Every event names the competition and its client. */
interface CompetitionFact {
  competitionId: string;
  clientId: string;
}

export interface CompetitionDraftedData extends CompetitionFact {
  title: string;
  brief: string;
  /** Tax-exclusive prize of one adoption. */
  prize: number;
  /** The prize with consumption tax at the rate in force when drafted: what each prepayment pays and each adoption pays out. */
  prizeGross: number;
  taxRate: string;
  feeScheduleId: string;
  deadline: string;
  draftedAt: string;
}

export interface CompetitionPrizePrepaidData extends CompetitionFact {
  /** `prize-<n>`: the n-th prize prepaid, the line of the escrow that holds it. */
  prizeId: string;
  amount: number;
  paymentReference: string;
  method: PaymentMethod;
  /** The competition's escrow after this prepayment. */
  escrowAfter: number;
}

export interface CompetitionPublishedData extends CompetitionFact {
  publishedAt: string;
}

export interface CompetitionProposalSubmittedData extends CompetitionFact {
  proposalId: string;
  workerId: string;
  title: string;
  description?: string;
  deliverables: Deliverable[];
  submittedAt: string;
}

/** The prize paid to the adopted proposal's worker, its fee that of a fixed-price payout of the prize counted from ¥0. */
export interface CompetitionProposalAdoptedData extends CompetitionFact, PayoutFigures {
  proposalId: string;
  prizeId: string;
  workerId: string;
  adoptedAt: string;
  escrowAfter: number;
}

export interface CompetitionClosedData extends CompetitionFact {
  closedBy: 'client' | 'support';
  /** Support's finding when it closes without an adoption. */
  reason?: string;
  adoptions: number;
  closedAt: string;
}

/** Why an unadopted prize went back to the client (docs/formats.md, Competitions). */
export type PrizeRefundCause = 'not_published' | 'no_proposals' | 'no_proposal_met_brief';

export interface CompetitionPrizeRefundedData extends CompetitionFact {
  prizeId: string;
  amount: number;
  cause: PrizeRefundCause;
  reason?: string;
  escrowAfter: number;
}

export type CompetitionDrafted = { type: 'CompetitionDrafted'; data: CompetitionDraftedData };
export type CompetitionPrizePrepaid = { type: 'CompetitionPrizePrepaid'; data: CompetitionPrizePrepaidData };
export type CompetitionPublished = { type: 'CompetitionPublished'; data: CompetitionPublishedData };
export type CompetitionProposalSubmitted = { type: 'CompetitionProposalSubmitted'; data: CompetitionProposalSubmittedData };
export type CompetitionProposalAdopted = { type: 'CompetitionProposalAdopted'; data: CompetitionProposalAdoptedData };
export type CompetitionClosed = { type: 'CompetitionClosed'; data: CompetitionClosedData };
export type CompetitionPrizeRefunded = { type: 'CompetitionPrizeRefunded'; data: CompetitionPrizeRefundedData };

export type CompetitionEvent =
  | CompetitionDrafted
  | CompetitionPrizePrepaid
  | CompetitionPublished
  | CompetitionProposalSubmitted
  | CompetitionProposalAdopted
  | CompetitionClosed
  | CompetitionPrizeRefunded;

export const COMPETITION_EVENT_SCHEMA_VERSIONS: Readonly<Record<CompetitionEvent['type'], number>> = {
  CompetitionDrafted: 1,
  CompetitionPrizePrepaid: 1,
  CompetitionPublished: 1,
  CompetitionProposalSubmitted: 1,
  CompetitionProposalAdopted: 1,
  CompetitionClosed: 1,
  CompetitionPrizeRefunded: 1,
};

export const isCompetitionEvent = eventGuardOf<CompetitionEvent>(COMPETITION_EVENT_SCHEMA_VERSIONS);
