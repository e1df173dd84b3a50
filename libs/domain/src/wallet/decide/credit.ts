import { addDaysToInstant } from '../../calendar/civil-time';
import { conflict } from '../../shared/domain-error';
import { boolean, oneOf, positiveYen, refuseFieldErrors, required } from '../../shared/field-errors';
import { requireRole } from '../../shared/account-actor-guards';
import type { CreditWallet } from '../commands';
import type { WalletEvent } from '../events';
import type { WalletState } from '../state';
import { addYen } from '../yen-arithmetic';

/** A balance not withdrawn within this many days of its credit expires. */
export const BALANCE_EXPIRY_DAYS = 180;

const CREDIT_SOURCE_KINDS = ['payout', 'refund'] as const;

/** A payout or a refund lands in the wallet, once per source. */
export function creditWallet(command: CreditWallet, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'system', 'credit a wallet');
  const { source, flags } = command;
  refuseFieldErrors([
    ...positiveYen('amount', command.amount),
    ...oneOf('source.kind', CREDIT_SOURCE_KINDS, source?.kind),
    ...required('source.id', source?.id),
    ...required('source.contractId', source?.contractId),
    ...required('source.milestoneId', source?.milestoneId),
    ...boolean('flags.noDeliverable', flags?.noDeliverable),
    ...boolean('flags.fastCompletion', flags?.fastCompletion),
  ]);
  if (Object.prototype.hasOwnProperty.call(state.creditedSources, source.id)) {
    const creditedAmount = state.creditedSources[source.id];
    if (creditedAmount === command.amount) return [];
    throw conflict('CREDIT_SOURCE_CONFLICT', `Source ${source.id} was already credited with ¥${creditedAmount}, not ¥${command.amount}.`, {
      sourceId: source.id,
      creditedAmount,
      amount: command.amount,
    });
  }
  // Closure is final: what was credited before it stays, nothing new lands (a redelivery above is no new credit).
  if (state.closed) {
    throw conflict('WALLET_CLOSED', `Account ${command.accountId} is closed; it takes no new credit.`, {
      accountId: command.accountId,
      sourceId: source.id,
      amount: command.amount,
    });
  }
  return [
    {
      type: 'WalletCredited',
      data: {
        accountId: command.accountId,
        source: { kind: source.kind, id: source.id, contractId: source.contractId, milestoneId: source.milestoneId },
        amount: command.amount,
        // The contract's end may have been recorded before this credit arrived: it is the later fact and wins.
        flags: {
          noDeliverable: flags.noDeliverable,
          fastCompletion: flags.fastCompletion && !state.fastCompletionRuledOut[source.contractId],
        },
        creditedAt: command.at,
        expiresAt: addDaysToInstant(command.at, BALANCE_EXPIRY_DAYS),
        availableAfter: addYen(state.available, command.amount),
      },
    },
  ];
}
