import { requireOpenAccounts } from '../../contract/guards';
import { validate } from '../../contract/validation';
import { conflict } from '../../shared/domain-error';
import { MAX_GATEWAY_REFERENCE_LENGTH, MAX_GROSS_AMOUNT } from '../../shared/limits';
import type { PrepayHourlyEscrow } from '../commands';
import type { HourlyEscrowFunded } from '../events';
import { requireHourlyActive, requireHourlyClient, requireHourlyContract } from '../guards';
import { type HourlyState, hourlyEscrowOf } from '../state';

/** The client prepays an estimated week, or tops up by any amount; a contract that is ending takes no more money. */
export const decidePrepayHourly = (command: PrepayHourlyEscrow, state: HourlyState): HourlyEscrowFunded[] => {
  requireHourlyContract(state);
  requireHourlyClient(state, command.actor);
  const check = validate()
    .text(command.paymentReference, 'paymentReference', 'INVALID_PAYMENT_REFERENCE', MAX_GATEWAY_REFERENCE_LENGTH)
    .paymentMethod(command.method, 'method');
  if (command.amount !== undefined) {
    check.positiveYen(command.amount, 'amount').check(command.amount <= MAX_GROSS_AMOUNT, 'amount', 'INVALID_AMOUNT', `amount must be at most ${MAX_GROSS_AMOUNT}`);
  }
  check.done();
  requireHourlyActive(state);
  requireOpenAccounts(state, command.closedAccounts);
  if (state.ending) throw conflict('CONTRACT_ENDING', `the contract ends after the week of ${state.ending.endsAfterWeek}`, { endsAfterWeek: state.ending.endsAfterWeek });
  if (state.paymentReferences.includes(command.paymentReference)) {
    throw conflict('PAYMENT_REFERENCE_ALREADY_USED', `payment ${command.paymentReference} was already recorded`, { paymentReference: command.paymentReference });
  }
  const amount = command.amount ?? state.estimatedWeekGross;
  return [
    {
      type: 'HourlyEscrowFunded',
      data: {
        contractId: state.contractId,
        clientId: state.clientId,
        workerId: state.workerId,
        amount,
        paymentReference: command.paymentReference,
        method: command.method,
        escrowAfter: hourlyEscrowOf(state) + amount,
      },
    },
  ];
};
