import { type ContractState, type MilestoneState, escrowBalanceOf, fundingDueOf } from './state';
import type { ContractStatus, ContractView, MilestoneView } from './view-types';

export * from './view-types';

const milestoneView = (milestone: MilestoneState): MilestoneView => ({
  milestoneId: milestone.milestoneId,
  title: milestone.title,
  amount: milestone.amount,
  gross: milestone.gross,
  dueDate: milestone.dueDate,
  status: milestone.closure ?? milestone.progress,
  fundedGross: milestone.fundedGross,
  escrowBalance: escrowBalanceOf(milestone),
  fundingDue: milestone.closure ? 0 : fundingDueOf(milestone),
  refundedTotal: milestone.refundedTotal,
  deliveries: milestone.deliveries,
  ...(milestone.payout ? { payout: { ...milestone.payout } } : {}),
});

/**
 * The contract as GET /v1/contracts/{id} shows it. Only meaningful once the stream has an offer;
 * for an empty stream it throws, as there is nothing to show.
 */
export const contractView = (state: ContractState): ContractView => {
  if (state.status === 'none') throw new Error('contractView needs an offered contract; the stream is empty');
  const milestones = state.milestones.map(milestoneView);
  const sum = (pick: (milestone: MilestoneView) => number) => milestones.reduce((total, milestone) => total + pick(milestone), 0);
  return {
    contractId: state.contractId,
    status: state.status as ContractStatus,
    clientId: state.clientId,
    workerId: state.workerId,
    title: state.title,
    feeScheduleId: state.feeScheduleId ?? state.offeredFeeScheduleId,
    taxRate: state.taxRate,
    milestones,
    totals: {
      gross: sum((milestone) => (milestone.status === 'cancelled' ? 0 : (milestone.gross ?? 0))),
      funded: sum((milestone) => milestone.fundedGross),
      paidOut: sum((milestone) => milestone.payout?.gross ?? 0),
      fees: sum((milestone) => milestone.payout?.fee ?? 0),
      net: sum((milestone) => milestone.payout?.net ?? 0),
      refunded: sum((milestone) => milestone.refundedTotal),
      escrow: sum((milestone) => milestone.escrowBalance),
    },
    ...(state.pendingTermsChange
      ? {
          pendingTermsChange: {
            ...state.pendingTermsChange,
            changes: state.pendingTermsChange.changes.map((change) => ({ ...change })),
            newMilestones: state.pendingTermsChange.newMilestones.map((terms) => ({ ...terms })),
          },
        }
      : {}),
    ...(state.pendingTermination ? { pendingTermination: { ...state.pendingTermination } } : {}),
    contactReminders: state.contactReminders.map((reminder) => ({ ...reminder })),
  };
};
