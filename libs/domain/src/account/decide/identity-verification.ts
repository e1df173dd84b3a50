import { requireRole } from '../../shared/account-actor-guards';
import { oneOf, refuseFieldErrors } from '../../shared/field-errors';
import type { ReportIdentityVerification } from '../commands';
import type { AccountEvent } from '../events';
import { REPORTED_IDENTITY_STATUSES } from '../identity';
import type { AccountState } from '../state';

/** The identity verification service (role `system`) reports where the account's verification stands. */
export function reportIdentityVerification(command: ReportIdentityVerification, state: AccountState): AccountEvent[] {
  requireRole(command.actor, 'system', 'report identity verification');
  refuseFieldErrors(oneOf('status', REPORTED_IDENTITY_STATUSES, command.status));
  // A repeated report of the same status is a retry of the same fact.
  if (command.status === state.identityStatus) return [];
  return [
    {
      type: 'IdentityVerificationReported',
      data: { accountId: command.accountId, status: command.status, previousStatus: state.identityStatus },
    },
  ];
}
