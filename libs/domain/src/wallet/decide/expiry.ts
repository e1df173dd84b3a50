import { epochMillisOf } from '../../calendar/civil-time';
import { invalid } from '../../shared/domain-error';
import { breachOf, refuseFieldErrors } from '../../shared/field-errors';
import { instant } from '../../shared/field-rules';
import { requireRole } from '../../shared/account-actor-guards';
import type { ExpireBalances } from '../commands';
import type { ExpiredLot, WalletEvent } from '../events';
import type { WalletState } from '../state';
import { addYen, subtractYen } from '../yen-arithmetic';

/** The platform expires what is left of every lot whose expiry has passed by `asOf`. */
export function expireBalances(command: ExpireBalances, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'system', 'expire balances');
  refuseFieldErrors(breachOf('asOf', instant(command.asOf, 'asOf')));
  const asOf = epochMillisOf(command.asOf);
  if (asOf > epochMillisOf(command.at)) {
    throw invalid('EXPIRY_AS_OF_IN_FUTURE', 'Balances cannot be expired as of a time after the command.', {
      asOf: command.asOf,
      at: command.at,
    });
  }
  const lots: ExpiredLot[] = state.lots
    .filter((lot) => lot.remaining > 0 && epochMillisOf(lot.expiresAt) <= asOf)
    .map((lot) => ({ sourceId: lot.sourceId, amount: lot.remaining, creditedAt: lot.creditedAt, expiresAt: lot.expiresAt }));
  if (lots.length === 0) return [];
  const amount = addYen(...lots.map((lot) => lot.amount));
  return [
    {
      type: 'BalanceExpired',
      data: { accountId: command.accountId, amount, lots, asOf: command.asOf, availableAfter: subtractYen(state.available, amount) },
    },
  ];
}
