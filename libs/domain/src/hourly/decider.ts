import { isInstant, validate } from '../contract/validation';
import type { Decider } from '../shared/decider';
import { fold } from '../shared/decider';
import { conflict, unknownCommand } from '../shared/domain-error';
import type { HourlyCommand } from './commands';
import { decidePrepayHourly } from './decide/escrow';
import { decideDisputeHourlyWork, decideRecordHourlyWork, decideSettleHourlyDispute } from './decide/hours';
import { decideAcceptHourly, decideOfferHourly } from './decide/offer';
import { contractEnd, decideEndHourly, decideSettleHourlyWeek } from './decide/settlement';
import type { HourlyEvent } from './events';
import { evolveHourly } from './evolve';
import { type HourlyState, initialHourlyState } from './state';

const decideStep = (command: HourlyCommand, state: HourlyState): HourlyEvent[] => {
  switch (command.type) {
    case 'OfferHourlyContract':
      return decideOfferHourly(command, state);
    case 'AcceptHourlyContract':
      return decideAcceptHourly(command, state);
    case 'PrepayHourlyEscrow':
      return decidePrepayHourly(command, state);
    case 'RecordHourlyWork':
      return decideRecordHourlyWork(command, state);
    case 'DisputeHourlyWork':
      return decideDisputeHourlyWork(command, state);
    case 'SettleHourlyDispute':
      return decideSettleHourlyDispute(command, state);
    case 'SettleHourlyWeek':
      return decideSettleHourlyWeek(command, state);
    case 'EndHourlyContract':
      return decideEndHourly(command, state);
    default:
      throw unknownCommand('hourly contract', command);
  }
};

/** The events a command records, followed by the contract's end when the command leaves nothing more to wait for. */
export const decideHourly = (command: HourlyCommand, state: HourlyState): HourlyEvent[] => {
  if (!isInstant(command.at)) validate().add('at', 'INVALID_TIMESTAMP', 'at must be an ISO-8601 instant with offset').done();
  const events = decideStep(command, state);
  const all = [...events, ...contractEnd(fold(evolveHourly, state, events), command.at)];
  if (all.length === 0) {
    // Only the last, empty week of an ending contract gets here, while an earlier week's dispute is still open.
    throw conflict('NOTHING_TO_SETTLE', 'the contract cannot end yet: a dispute is still open', { weekStart: (command as { weekStart?: string }).weekStart });
  }
  return all;
};

export const hourlyDecider: Decider<HourlyCommand, HourlyState, HourlyEvent> = {
  decide: decideHourly,
  evolve: evolveHourly,
  initialState: initialHourlyState,
};
