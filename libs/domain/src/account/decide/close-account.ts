import { requireOwnerOrSupport } from '../../shared/account-actor-guards';
import type { Actor } from '../../shared/actor';
import { conflict } from '../../shared/domain-error';
import { isNonEmptyString, refuseFieldErrors, required, text } from '../../shared/field-errors';
import { CLOSURE_BLOCKERS } from '../closure';
import type { CloseAccount } from '../commands';
import type { AccountEvent } from '../events';
import type { AccountState } from '../state';

/** Who may close an account: its owner, or support. Checked before anything is gathered for the decision. */
export const requireAccountCloser = (actor: Actor, accountId: string): void => requireOwnerOrSupport(actor, accountId, 'close an account');

/** The owner, or support with a reason, closes the account (退会) when nothing blocks it. */
export function closeAccount(command: CloseAccount, state: AccountState): AccountEvent[] {
  const { actor } = command;
  requireAccountCloser(actor, command.accountId);
  refuseFieldErrors([
    ...(Array.isArray(command.blockers) && command.blockers.every(isNonEmptyString)
      ? []
      : [{ field: 'blockers', rule: 'isArray', message: 'must be a list of reason codes' }]),
    ...(actor.role === 'support' ? required('reason', command.reason) : []),
    ...text('reason', command.reason),
  ]);
  // The stream knows its own identity status, so a caller with stale facts cannot skip that reason.
  const reasons = new Set<string>(command.blockers);
  if (state.identityStatus === 'submitted') reasons.add('IDENTITY_VERIFICATION_IN_REVIEW');
  if (reasons.size > 0) {
    const known = CLOSURE_BLOCKERS.filter((blocker) => reasons.has(blocker));
    const others = [...reasons].filter((reason) => !(CLOSURE_BLOCKERS as readonly string[]).includes(reason));
    const ordered = [...known, ...others];
    throw conflict('ACCOUNT_CLOSURE_BLOCKED', `The account cannot be closed: ${ordered.join(', ')}.`, { reasons: ordered });
  }
  return [
    {
      type: 'AccountClosed',
      data: {
        accountId: command.accountId,
        closedBy: { id: actor.id, role: actor.role },
        ...(isNonEmptyString(command.reason) ? { reason: command.reason } : {}),
      },
    },
  ];
}
