import type { CompetitionEvent } from './events';
import type { CompetitionState, PrizeState } from './state';

const withPrize = (state: CompetitionState, prizeId: string, change: Partial<PrizeState>): PrizeState[] =>
  state.prizes.map((prize) => (prize.prizeId === prizeId ? { ...prize, ...change } : prize));

/** The state after one more event. Pure: the state given is not changed. */
export const evolveCompetition = (state: CompetitionState, event: CompetitionEvent): CompetitionState => {
  switch (event.type) {
    case 'CompetitionDrafted': {
      const { competitionId, clientId, title, brief, prize, prizeGross, taxRate, feeScheduleId, deadline, draftedAt } = event.data;
      return { ...state, status: 'draft', competitionId, clientId, title, brief, prize, prizeGross, taxRate, feeScheduleId, deadline, draftedAt };
    }
    case 'CompetitionPrizePrepaid': {
      const { prizeId, amount, paymentReference } = event.data;
      return {
        ...state,
        prizes: [...state.prizes, { prizeId, amount, paymentReference, status: 'prepaid', proposalId: null, refundCause: null }],
        paymentReferences: [...state.paymentReferences, paymentReference],
      };
    }
    case 'CompetitionPublished':
      return { ...state, status: 'open', publishedAt: event.data.publishedAt };
    case 'CompetitionProposalSubmitted': {
      const { proposalId, workerId, title, description, deliverables, submittedAt } = event.data;
      return {
        ...state,
        proposals: [
          ...state.proposals,
          { proposalId, workerId, title, description: description ?? null, deliverables: deliverables.map((each) => ({ ...each })), submittedAt, adoption: null },
        ],
      };
    }
    case 'CompetitionProposalAdopted': {
      const { competitionId: _c, clientId: _cl, proposalId, prizeId, workerId: _w, adoptedAt, escrowAfter: _e, ...payout } = event.data;
      return {
        ...state,
        prizes: withPrize(state, prizeId, { status: 'adopted', proposalId }),
        proposals: state.proposals.map((proposal) =>
          proposal.proposalId === proposalId ? { ...proposal, adoption: { prizeId, adoptedAt, payout: { ...payout, tiers: payout.tiers.map((tier) => ({ ...tier })) } } } : proposal,
        ),
      };
    }
    case 'CompetitionClosed':
      return { ...state, status: 'closed', closedAt: event.data.closedAt, closedBy: event.data.closedBy, closeReason: event.data.reason ?? null };
    case 'CompetitionPrizeRefunded':
      return { ...state, prizes: withPrize(state, event.data.prizeId, { status: 'refunded', refundCause: event.data.cause }) };
    default:
      return state;
  }
};
