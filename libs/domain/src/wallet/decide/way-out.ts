import { requireOwnerOrSupport } from '../../shared/account-actor-guards';
import { conflict } from '../../shared/domain-error';
import { refuseFieldErrors, requiredText } from '../../shared/field-errors';
import type { CloseWallet, ForfeitBalance } from '../commands';
import type { WalletEvent } from '../events';
import { WalletState, allocateOldestFirst } from '../state';
import type { WithdrawalFeePolicy } from '../withdrawal-fees';

/**
 * Every balance has a way out. A balance at or above the withdrawal minimum is withdrawn; one below it is
 * withdrawn whole in one final withdrawal (see request-withdrawal.ts) or given up here by an explicit, recorded
 * choice of the owner (or of support acting for them, with a reason). The wallet of a closed account may
 * forfeit any balance: money that reached it despite the closure must not be held there for ever.
 */
export function forfeitBalance(command: ForfeitBalance, state: WalletState, feePolicy: WithdrawalFeePolicy): WalletEvent[] {
  requireOwnerOrSupport(command.actor, command.accountId, 'forfeit a balance');
  refuseFieldErrors(requiredText('reason', command.reason));
  const { available } = state;
  if (available === 0) {
    throw conflict('NOTHING_TO_FORFEIT', `The wallet of ${command.accountId} has no available balance.`, { available });
  }
  // A closed account may give up any balance that still reached it (it can withdraw it, too).
  if (available >= feePolicy.minimumAmount && !state.closed) {
    throw conflict(
      'BALANCE_WITHDRAWABLE',
      `¥${available} can be withdrawn; only a balance below the ¥${feePolicy.minimumAmount} minimum may be forfeited.`,
      { available, minimumAmount: feePolicy.minimumAmount },
    );
  }
  return [
    {
      type: 'BalanceForfeited',
      data: {
        accountId: command.accountId,
        amount: available,
        lots: allocateOldestFirst(state.lots, available),
        reason: command.reason,
        forfeitedBy: { id: command.actor.id, role: command.actor.role },
        forfeitedAt: command.at,
        availableAfter: 0,
      },
    },
  ];
}

/**
 * Records the account's closure on its wallet, so that no credit lands after it. Whether the account may
 * close is decided on the account stream; a balance that still reached the wallet can leave as any other.
 */
export function closeWallet(command: CloseWallet, state: WalletState): WalletEvent[] {
  requireOwnerOrSupport(command.actor, command.accountId, 'close a wallet');
  if (state.closed) return [];
  return [
    {
      type: 'WalletClosed',
      data: { accountId: command.accountId, closedBy: { id: command.actor.id, role: command.actor.role }, closedAt: command.at },
    },
  ];
}
