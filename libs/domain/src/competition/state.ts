import { addYen } from '../wallet/yen-arithmetic';
import type { Deliverable } from '../contract/commands';
import type { PayoutFigures } from '../escrow/movement';
import type { PrizeRefundCause } from './events';

export type CompetitionStatus = 'none' | 'draft' | 'open' | 'closed';

export interface PrizeState {
  prizeId: string;
  amount: number;
  paymentReference: string;
  /** prepaid: held in escrow for an adoption; adopted: paid out; refunded: returned to the client. */
  status: 'prepaid' | 'adopted' | 'refunded';
  proposalId: string | null;
  refundCause: PrizeRefundCause | null;
}

export interface AdoptionState {
  prizeId: string;
  adoptedAt: string;
  payout: PayoutFigures;
}

export interface ProposalState {
  proposalId: string;
  workerId: string;
  title: string;
  description: string | null;
  deliverables: Deliverable[];
  submittedAt: string;
  adoption: AdoptionState | null;
}

export interface CompetitionState {
  status: CompetitionStatus;
  competitionId: string;
  clientId: string;
  title: string;
  brief: string;
  prize: number;
  prizeGross: number;
  taxRate: string;
  feeScheduleId: string;
  deadline: string;
  draftedAt: string | null;
  publishedAt: string | null;
  closedAt: string | null;
  closedBy: 'client' | 'support' | null;
  closeReason: string | null;
  prizes: PrizeState[];
  proposals: ProposalState[];
  paymentReferences: string[];
}

export const initialCompetitionState = (): CompetitionState => ({
  status: 'none',
  competitionId: '',
  clientId: '',
  title: '',
  brief: '',
  prize: 0,
  prizeGross: 0,
  taxRate: '0',
  feeScheduleId: '',
  deadline: '',
  draftedAt: null,
  publishedAt: null,
  closedAt: null,
  closedBy: null,
  closeReason: null,
  prizes: [],
  proposals: [],
  paymentReferences: [],
});

/** Prizes prepaid and not yet adopted or refunded: what the escrow holds. */
export const unadoptedPrizesOf = (state: CompetitionState): PrizeState[] => state.prizes.filter((prize) => prize.status === 'prepaid');

export const escrowOf = (state: CompetitionState): number => addYen(...unadoptedPrizesOf(state).map((prize) => prize.amount));

export const adoptionsOf = (state: CompetitionState): number => state.prizes.filter((prize) => prize.status === 'adopted').length;

export const nextPrizeId = (state: CompetitionState): string => `prize-${state.prizes.length + 1}`;
