import type { WalletCreditPlan } from '../contract/credit-flags';
import type { EscrowMovement } from './movement';

/**
 * The wallet credit an escrow movement of an hourly contract, a task or a competition calls for: a payout credits the
 * worker with its net, a refund the client with its amount; a prepayment, or a movement of nothing, credits no one.
 * The source is the event itself, so a redelivery credits nothing twice. These formats have no delivery without a
 * deliverable and no one-hour completion, so their credits carry no flags.
 */
export function walletCreditForMovement(eventId: string, movement: EscrowMovement): WalletCreditPlan | undefined {
  const flags = { noDeliverable: false, fastCompletion: false };
  const source = { id: eventId, contractId: movement.escrowId, milestoneId: movement.lineId };
  switch (movement.kind) {
    case 'paidOut':
      return movement.payout.net > 0 ? { accountId: movement.workerId, amount: movement.payout.net, source: { kind: 'payout', ...source }, flags } : undefined;
    case 'refunded':
      return movement.amount > 0 ? { accountId: movement.clientId, amount: movement.amount, source: { kind: 'refund', ...source }, flags } : undefined;
    case 'funded':
      return undefined;
  }
}
