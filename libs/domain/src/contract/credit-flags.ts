import { epochMillisOf } from '../calendar/civil-time';
import type { CreditFlags, CreditSource } from '../wallet/commands';
import type { ContractAcceptedData, EscrowRefundedData, MilestoneDeliveredData, MilestonePaidOutData } from './events';

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
 *   contract that is completed later is flagged too, since that later completion is not yet a fact.
 */
function mayCompleteWithinWindow(history: readonly ContractFact[], source: ContractFact, data: MilestonePaidOutData): boolean {
  if (data.cause !== 'settlement') return false;
  const accepted = factsBefore(history, source).find((fact) => fact.type === 'ContractAccepted');
  if (!accepted) return false;
  const acceptedAt = (accepted.data as ContractAcceptedData).acceptedAt ?? accepted.occurredAt;
  const earliestCompletion = source.occurredAt;
  return epochMillisOf(earliestCompletion) - epochMillisOf(acceptedAt) <= FAST_COMPLETION_WINDOW_MS;
}
