import { oneOf, refuseFieldErrors, required } from '../../shared/field-errors';
import { requireRole } from '../../shared/account-actor-guards';
import type { RuleOutFastCompletion } from '../commands';
import type { WalletEvent } from '../events';
import type { WalletState } from '../state';

const RULED_OUT_REASONS = ['completed_after_window', 'terminated'] as const;

/**
 * Clears the `fastCompletion` flag of every credit from the contract, once per contract. It is recorded
 * even when no credit from the contract has landed yet, since credits and contract ends reach the wallet
 * from separate processors: a credit that lands afterwards reads the record and goes unflagged. Money
 * already in a withdrawal keeps the review reasons it was screened with; they were true when it was asked.
 * A closed wallet takes the record too: it moves no money.
 */
export function ruleOutFastCompletion(command: RuleOutFastCompletion, state: WalletState): WalletEvent[] {
  requireRole(command.actor, 'system', 'rule out a fast completion');
  refuseFieldErrors([...required('contractId', command.contractId), ...oneOf('reason', RULED_OUT_REASONS, command.reason)]);
  if (state.fastCompletionRuledOut[command.contractId]) return [];
  const clearedSourceIds = state.lots
    .filter((lot) => lot.contractId === command.contractId && lot.flags.fastCompletion)
    .map((lot) => lot.sourceId);
  return [
    {
      type: 'FastCompletionRuledOut',
      data: {
        accountId: command.accountId,
        contractId: command.contractId,
        reason: command.reason,
        clearedSourceIds,
        ruledOutAt: command.at,
      },
    },
  ];
}
