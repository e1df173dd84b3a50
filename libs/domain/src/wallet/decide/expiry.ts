import { epochMillisOf } from '../../calendar/civil-time';
import { conflict, invalid } from '../../shared/domain-error';
import { breachOf, refuseFieldErrors } from '../../shared/field-errors';
import { instant } from '../../shared/field-rules';
import { requireRole } from '../../shared/account-actor-guards';
import { EXPIRY_NOTICE_DAYS, type ExpireBalances, type NoticeBalanceExpiry } from '../commands';
import type { ExpiredLot, WalletEvent } from '../events';
import { expiryNoticeKey, type WalletState } from '../state';
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

const DAY_MS = 86_400_000;

/**
 * Tells the owner, `daysBefore` days ahead, what expires at `expiresAt`: the credits of that instant with
 * something left. Once per expiry instant and number of days; nothing when nothing is left to expire then, or
 * when the expiry has come (the expiry itself is then due). Refused before its day.
 */
export function noticeBalanceExpiry(command: NoticeBalanceExpiry, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'system', 'record expiry notices');
  refuseFieldErrors(breachOf('expiresAt', instant(command.expiresAt, 'expiresAt')));
  if (!(EXPIRY_NOTICE_DAYS as readonly number[]).includes(command.daysBefore)) {
    throw invalid('INVALID_EXPIRY_NOTICE', `An expiry notice is given ${EXPIRY_NOTICE_DAYS.join(' or ')} days before.`, { daysBefore: command.daysBefore });
  }
  if (state.expiryNotices[expiryNoticeKey(command.expiresAt, command.daysBefore)]) return [];
  const expiresAt = epochMillisOf(command.expiresAt);
  const at = epochMillisOf(command.at);
  if (at >= expiresAt) return [];
  if (at < expiresAt - command.daysBefore * DAY_MS) {
    throw conflict('EXPIRY_NOTICE_NOT_DUE', `The ${command.daysBefore}-day notice of an expiry at ${command.expiresAt} is not due yet.`, {
      expiresAt: command.expiresAt,
      daysBefore: command.daysBefore,
    });
  }
  const lots = state.lots
    .filter((lot) => lot.remaining > 0 && epochMillisOf(lot.expiresAt) === expiresAt)
    .map((lot) => ({ sourceId: lot.sourceId, amount: lot.remaining }));
  if (lots.length === 0) return [];
  return [
    {
      type: 'BalanceExpiryNoticed',
      data: {
        accountId: command.accountId,
        expiresAt: command.expiresAt,
        daysBefore: command.daysBefore,
        amount: addYen(...lots.map((lot) => lot.amount)),
        lots,
        noticedAt: command.at,
      },
    },
  ];
}
