import type { ContractEvent, OfferData } from './events';
import { type ContractState, type MilestoneState, escrowBalanceOf, offeredMilestone } from './state';

/**
 * Applies one fact to the state. Total: an event that does not fit (unknown milestone, unknown
 * type from a newer writer) leaves the state as it is rather than throwing, so any stored stream
 * can always be replayed.
 */
export const evolveContract = (state: ContractState, event: ContractEvent): ContractState => {
  switch (event.type) {
    case 'ContractOffered': {
      const { data } = event;
      return { ...withOffer(state, data), status: 'offered', contractId: data.contractId, clientId: data.clientId, workerId: data.workerId };
    }
    case 'OfferAmended':
      return withOffer(state, event.data);
    case 'OfferWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'OfferDeclined':
      return { ...state, status: 'declined' };
    case 'ContractAccepted': {
      const { data } = event;
      return {
        ...state,
        status: 'active',
        title: data.title,
        feeScheduleId: data.feeScheduleId,
        taxRate: data.taxRate,
        acceptedAt: data.acceptedAt,
        milestones: data.milestones.map((terms) => ({ ...offeredMilestone(terms), gross: terms.gross })),
      };
    }
    case 'EscrowFunded': {
      const { data } = event;
      const funded = updateMilestone(state, data.milestoneId, (milestone) => ({
        ...milestone,
        fundedGross: milestone.fundedGross + data.amount,
        progress: milestone.progress === 'unfunded' ? 'funded' : milestone.progress,
      }));
      return { ...funded, paymentReferences: [...funded.paymentReferences, data.paymentReference] };
    }
    case 'MilestoneDelivered': {
      const { data } = event;
      return updateMilestone(state, data.milestoneId, (milestone) => ({
        ...milestone,
        progress: 'delivered',
        deliveries: milestone.deliveries + 1,
        lastDeliveredAt: data.deliveredAt,
      }));
    }
    case 'RevisionRequested':
      return updateMilestone(state, event.data.milestoneId, (milestone) => ({ ...milestone, progress: 'revision_requested' }));
    case 'MilestoneInspected':
      return updateMilestone(state, event.data.milestoneId, (milestone) => ({ ...milestone, progress: 'inspected' }));
    case 'MilestonePaidOut': {
      const { data } = event;
      const paid = updateMilestone(state, data.milestoneId, (milestone) => ({
        ...milestone,
        paidOutGross: milestone.paidOutGross + data.gross,
        closure: 'paid_out',
        payout: { gross: data.gross, feeExTax: data.feeExTax, feeTax: data.feeTax, fee: data.fee, net: data.net },
      }));
      return { ...paid, cumulativePaidOutGross: data.cumulativeGrossAfter };
    }
    case 'EscrowRefunded': {
      const { data } = event;
      const discretionary = data.cause === 'support' || data.cause === 'system';
      return updateMilestone(state, data.milestoneId, (milestone) => {
        const refunded: MilestoneState = {
          ...milestone,
          refundedTotal: milestone.refundedTotal + data.amount,
          discretionaryRefunds: milestone.discretionaryRefunds + (discretionary ? data.amount : 0),
        };
        // An emptied escrow with nothing paid out leaves nothing to work for: the milestone is settled.
        const emptiedWithoutPayout = refunded.closure === null && escrowBalanceOf(refunded) <= 0 && refunded.paidOutGross === 0;
        return emptiedWithoutPayout ? { ...refunded, closure: 'refunded' } : refunded;
      });
    }
    case 'TermsChangeProposed': {
      const { data } = event;
      return {
        ...state,
        pendingTermsChange: {
          changeId: data.changeId,
          proposedBy: data.proposedBy,
          proposedAt: data.proposedAt,
          changes: data.changes,
          newMilestones: data.newMilestones,
          ...(data.reason !== undefined ? { reason: data.reason } : {}),
        },
        proposedChangeIds: [...state.proposedChangeIds, data.changeId],
      };
    }
    case 'TermsChangeAccepted': {
      const { data } = event;
      const changed = data.changes.reduce(
        (current, change) =>
          updateMilestone(current, change.milestoneId, (milestone) => ({
            ...milestone,
            amount: change.amount,
            gross: change.gross,
            dueDate: change.dueDate,
          })),
        state,
      );
      const added = data.newMilestones.filter(
        (terms) => !changed.milestones.some((milestone) => milestone.milestoneId === terms.milestoneId),
      );
      return {
        ...changed,
        milestones: [...changed.milestones, ...added.map((terms) => ({ ...offeredMilestone(terms), gross: terms.gross }))],
        pendingTermsChange: null,
      };
    }
    case 'TermsChangeRejected':
      return { ...state, pendingTermsChange: null };
    case 'MilestoneCancelled':
      return updateMilestone(state, event.data.milestoneId, (milestone) => ({ ...milestone, closure: 'cancelled' }));
    case 'TerminationRequested': {
      const { data } = event;
      return {
        ...state,
        pendingTermination: { requestedBy: data.requestedBy, requestedAt: data.requestedAt, reason: data.reason },
      };
    }
    case 'TerminationRejected':
      return { ...state, pendingTermination: null };
    case 'ContractTerminated':
      return { ...state, status: 'terminated', pendingTermination: null, pendingTermsChange: null };
    case 'ContractCompleted':
      return { ...state, status: 'completed', pendingTermination: null, pendingTermsChange: null };
    case 'ContactReminderRequested': {
      const { data } = event;
      return {
        ...state,
        contactReminders: [
          ...state.contactReminders,
          {
            reminderId: data.reminderId,
            requestedBy: data.requestedBy,
            requestedAt: data.requestedAt,
            ...(data.message !== undefined ? { message: data.message } : {}),
            status: 'pending',
          },
        ],
      };
    }
    case 'ContactReminderApproved':
    case 'ContactReminderDenied': {
      const { data } = event;
      const status = event.type === 'ContactReminderApproved' ? 'approved' : 'denied';
      return {
        ...state,
        contactReminders: state.contactReminders.map((reminder) =>
          reminder.reminderId === data.reminderId
            ? {
                ...reminder,
                status,
                decidedBy: data.supportId,
                decidedAt: data.decidedAt,
                ...(data.reason !== undefined ? { reason: data.reason } : {}),
              }
            : reminder,
        ),
      };
    }
    default:
      return state;
  }
};

/** An offer, first made or amended, replaces the title, the fee schedule and the milestones offered. */
const withOffer = (state: ContractState, offer: OfferData): ContractState => ({
  ...state,
  title: offer.title,
  offeredFeeScheduleId: offer.feeScheduleId,
  milestones: offer.milestones.map(offeredMilestone),
});

const updateMilestone = (
  state: ContractState,
  milestoneId: string,
  update: (milestone: MilestoneState) => MilestoneState,
): ContractState => ({
  ...state,
  milestones: state.milestones.map((milestone) => (milestone.milestoneId === milestoneId ? update(milestone) : milestone)),
});
