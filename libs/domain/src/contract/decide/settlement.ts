import { payoutFigures } from '../../money/fee';
import { getFeeSchedule, payoutFee } from '../../money';
import { conflict } from '../../shared/domain-error';
import type { PayOutMilestone, RefundMilestone } from '../commands';
import type { EscrowRefunded, MilestonePaidOut, MilestonePaidOutData, RefundCause } from '../events';
import { requireActive, requireContract, requireMilestone, requireOpenMilestone, requireRole } from '../guards';
import { type ContractState, type MilestoneState, escrowBalanceOf } from '../state';
import { validate } from '../validation';
import { requireFullyFunded } from './escrow';

/**
 * The payout of `gross` from a milestone's escrow, its fee computed on the contract's cumulative
 * paid-out gross under the schedule and tax rate fixed at acceptance.
 */
export const payoutEvent = (
  state: ContractState,
  milestone: MilestoneState,
  gross: number,
  cumulativeGrossBefore: number,
  cause: MilestonePaidOutData['cause'],
): MilestonePaidOut => {
  const schedule = state.feeScheduleId === null ? undefined : getFeeSchedule(state.feeScheduleId);
  if (!schedule || state.taxRate === null) {
    throw conflict('FEE_SCHEDULE_NOT_FOUND', `fee schedule ${state.feeScheduleId} of the contract is unknown`);
  }
  let fee;
  try {
    fee = payoutFee(schedule, state.taxRate, cumulativeGrossBefore, gross);
  } catch (error) {
    // Truncation can make the cumulative fee step by more than a ¥1 payout; such a payout is refused.
    throw conflict('PAYOUT_BELOW_FEE', `a payout of ¥${gross} would not cover its own fee`, {
      milestoneId: milestone.milestoneId,
      gross,
      cause: error instanceof Error ? error.message : String(error),
    });
  }
  return {
    type: 'MilestonePaidOut',
    data: {
      contractId: state.contractId,
      milestoneId: milestone.milestoneId,
      clientId: state.clientId,
      workerId: state.workerId,
      ...payoutFigures(fee),
      cause,
    },
  };
};

export const refundEvent = (
  state: ContractState,
  milestone: MilestoneState,
  amount: number,
  escrowBefore: number,
  reason: string,
  cause: RefundCause,
): EscrowRefunded => ({
  type: 'EscrowRefunded',
  data: {
    contractId: state.contractId,
    milestoneId: milestone.milestoneId,
    clientId: state.clientId,
    workerId: state.workerId,
    amount,
    reason,
    cause,
    escrowAfter: escrowBefore - amount,
  },
});

/** The settlement job releases an inspected milestone's whole escrow. */
export const decidePayOutMilestone = (command: PayOutMilestone, state: ContractState): MilestonePaidOut[] => {
  requireContract(state);
  requireRole(command.actor, ['system']);
  validate().id(command.milestoneId, 'milestoneId').done();
  // A settlement job retrying a payout learns that this milestone is already paid, even once the contract has completed.
  const milestone = requireMilestone(state, command.milestoneId);
  requireOpenMilestone(milestone);
  requireActive(state);
  if (milestone.progress !== 'inspected') {
    throw conflict('MILESTONE_NOT_INSPECTED', `milestone ${milestone.milestoneId} must be inspected before payout`, {
      milestoneId: milestone.milestoneId,
      status: milestone.progress,
    });
  }
  requireFullyFunded(milestone);
  return [payoutEvent(state, milestone, escrowBalanceOf(milestone), state.cumulativePaidOutGross, 'settlement')];
};

export const decideRefundMilestone = (command: RefundMilestone, state: ContractState): EscrowRefunded[] => {
  requireContract(state);
  requireRole(command.actor, ['support', 'system']);
  const check = validate().id(command.milestoneId, 'milestoneId').text(command.reason, 'reason', 'INVALID_REASON');
  if (command.amount !== undefined) check.positiveYen(command.amount, 'amount');
  check.done();
  requireActive(state);
  const milestone = requireMilestone(state, command.milestoneId);
  requireOpenMilestone(milestone);
  const escrow = escrowBalanceOf(milestone);
  if (escrow === 0) {
    throw conflict('MILESTONE_NOT_FUNDED', `milestone ${milestone.milestoneId} holds no escrow to refund`, {
      milestoneId: milestone.milestoneId,
    });
  }
  const amount = command.amount ?? escrow;
  if (amount > escrow) {
    throw conflict('REFUND_EXCEEDS_ESCROW', `milestone ${milestone.milestoneId} holds only ¥${escrow}`, {
      milestoneId: milestone.milestoneId,
      escrow,
      requested: amount,
    });
  }
  const cause = command.actor.role === 'system' ? 'system' : 'support';
  return [refundEvent(state, milestone, amount, escrow, command.reason, cause)];
};
