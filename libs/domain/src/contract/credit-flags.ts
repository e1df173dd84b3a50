import { epochMillisOf } from '../calendar/civil-time';
import type { CreditFlags, CreditSource, FastCompletionRuledOutReason } from '../wallet/commands';
import type {
  ContractAcceptedData,
  ContractCompletedData,
  ContractTerminatedData,
  EscrowRefundedData,
  MilestoneDeliveredData,
  MilestonePaidOutData,
} from './events';

/** Money from a contract completed within this long of its acceptance is flagged `fastCompletion`. */
export const FAST_COMPLETION_WINDOW_MS = 60 * 60 * 1000;

/** A contract event as the credit rules read it: its type, data (current shape), time and id. */
export interface ContractFact {
  id: string;
  type: string;
  data: object;
  occurredAt: string;
}

/** What one payout or refund puts into which wallet. */
export interface WalletCreditPlan {
  accountId: string;
  amount: number;
  source: CreditSource;
  flags: CreditFlags;
}

const NO_FLAGS: CreditFlags = { noDeliverable: false, fastCompletion: false };

/**
 * The wallet credit a money event of a contract calls for, or undefined when it calls for none.
 * `history` is the contract stream up to and including `source` (in stream order): the flags are
 * judged on what was known when the money moved, so a redelivery decides exactly the same.
 *
 * - A payout (`MilestonePaidOut`) credits the worker with its net. It is flagged `noDeliverable` when
 *   the milestone's last delivery before the payout (the one that was inspected) carried no
 *   deliverable; a milestone paid out by a support split without any delivery is not flagged, since
 *   nothing was handed over outside the platform either. It is flagged `fastCompletion` when the
 *   contract is completed within an hour of its acceptance (see `mayCompleteWithinWindow`).
 * - A refund (`EscrowRefunded`) credits the client with its amount, unflagged: the money is the
 *   client's own prepayment coming back.
 */
export function walletCreditFor(source: ContractFact, history: readonly ContractFact[]): WalletCreditPlan | undefined {
  switch (source.type) {
    case 'MilestonePaidOut': {
      const data = source.data as MilestonePaidOutData;
      if (data.net <= 0) return undefined;
      return {
        accountId: data.workerId,
        amount: data.net,
        source: { kind: 'payout', id: source.id, contractId: data.contractId, milestoneId: data.milestoneId },
        flags: {
          noDeliverable: inspectedDeliveryHadNoDeliverable(history, source, data.milestoneId),
          fastCompletion: mayCompleteWithinWindow(history, source, data),
        },
      };
    }
    case 'EscrowRefunded': {
      const data = source.data as EscrowRefundedData;
      if (data.amount <= 0) return undefined;
      return {
        accountId: data.clientId,
        amount: data.amount,
        source: { kind: 'refund', id: source.id, contractId: data.contractId, milestoneId: data.milestoneId },
        flags: { ...NO_FLAGS },
      };
    }
    default:
      return undefined;
  }
}

/** The facts before `source` in the history (the whole history when source is not in it). */
function factsBefore(history: readonly ContractFact[], source: ContractFact): readonly ContractFact[] {
  const index = history.findIndex((fact) => fact.id === source.id);
  return index === -1 ? history : history.slice(0, index);
}

function inspectedDeliveryHadNoDeliverable(history: readonly ContractFact[], source: ContractFact, milestoneId: string): boolean {
  const lastDelivery = factsBefore(history, source)
    .filter((fact) => fact.type === 'MilestoneDelivered' && (fact.data as MilestoneDeliveredData).milestoneId === milestoneId)
    .at(-1);
  return lastDelivery !== undefined && (lastDelivery.data as MilestoneDeliveredData).deliverables.length === 0;
}

/**
 * Whether the contract a payout comes from is completed within an hour of its acceptance, as far as
 * it can be known when the money lands (a recorded credit is never edited afterwards):
 *
 * - A support split (`support_termination`) is decided with the contract's termination: a terminated
 *   contract is never completed, so its money is not flagged.
 * - A settlement payout either completes the contract at its own instant (the `ContractCompleted`
 *   follows it in the same decision) or leaves it active, to be completed no earlier than that
 *   instant. So the contract's completion falls within the hour of acceptance exactly when the
 *   payout does, or can still fall within it when the payout is not the last one. Every payout of
 *   a contract completed within the hour is therefore flagged; a payout within the hour of a
 *   contract that is completed later is flagged too while that is not yet known, and cleared when
 *   the contract ends (see `fastCompletionRuledOutBy`).
 */
function mayCompleteWithinWindow(history: readonly ContractFact[], source: ContractFact, data: MilestonePaidOutData): boolean {
  if (data.cause !== 'settlement') return false;
  const accepted = factsBefore(history, source).find((fact) => fact.type === 'ContractAccepted');
  if (!accepted) return false;
  const acceptedAt = (accepted.data as ContractAcceptedData).acceptedAt ?? accepted.occurredAt;
  const earliestCompletion = source.occurredAt;
  return epochMillisOf(earliestCompletion) - epochMillisOf(acceptedAt) <= FAST_COMPLETION_WINDOW_MS;
}

/** The wallet whose credits from a contract stop counting as a fast completion, and why. */
export interface FastCompletionRuleOut {
  accountId: string;
  contractId: string;
  reason: FastCompletionRuledOutReason;
}

/**
 * What the end of a contract tells the wallet about its earlier money: when a contract is completed more
 * than an hour after its acceptance, or terminated (never completed), the payouts flagged `fastCompletion`
 * while that was still possible were not a fast completion after all. Called for the worker's wallet only
 * when such a payout is in the history, so contracts that never had a flagged credit record nothing.
 * `history` is the contract stream up to and including `source`.
 */
export function fastCompletionRuledOutBy(source: ContractFact, history: readonly ContractFact[]): FastCompletionRuleOut | undefined {
  let ending: { contractId: string; workerId: string; reason: FastCompletionRuledOutReason };
  switch (source.type) {
    case 'ContractCompleted': {
      const data = source.data as ContractCompletedData;
      if (epochMillisOf(data.completedAt) - epochMillisOf(data.acceptedAt) <= FAST_COMPLETION_WINDOW_MS) return undefined;
      ending = { contractId: data.contractId, workerId: data.workerId, reason: 'completed_after_window' };
      break;
    }
    case 'ContractTerminated': {
      const data = source.data as ContractTerminatedData;
      ending = { contractId: data.contractId, workerId: data.workerId, reason: 'terminated' };
      break;
    }
    default:
      return undefined;
  }
  const earlier = factsBefore(history, source);
  const hadFlaggedPayout = earlier.some(
    (fact) => fact.type === 'MilestonePaidOut' && walletCreditFor(fact, earlier)?.flags.fastCompletion === true,
  );
  return hadFlaggedPayout ? { accountId: ending.workerId, contractId: ending.contractId, reason: ending.reason } : undefined;
}
