import { conflict } from '../../shared/domain-error';
import type { ApproveContactReminder, DenyContactReminder, RequestContactReminder } from '../commands';
import type { ContactReminderApproved, ContactReminderDecidedData, ContactReminderDenied, ContactReminderRequested } from '../events';
import { notFound, requireActive, requireContract, requireParty, requireRole } from '../guards';
import { type ContactReminderState, type ContractState, counterpartyOf } from '../state';
import { MAX_MESSAGE_LENGTH } from '../../shared/limits';
import { validate } from '../validation';

export const decideRequestContactReminder = (command: RequestContactReminder, state: ContractState): ContactReminderRequested[] => {
  requireContract(state);
  const requestedBy = requireParty(state, command.actor);
  validate().id(command.reminderId, 'reminderId').optionalText(command.message, 'message', 'INVALID_MESSAGE', MAX_MESSAGE_LENGTH).done();
  requireActive(state);
  if (state.contactReminders.some((reminder) => reminder.reminderId === command.reminderId)) {
    throw conflict('CONTACT_REMINDER_ALREADY_EXISTS', `contact reminder ${command.reminderId} already exists`, {
      reminderId: command.reminderId,
    });
  }
  const open = state.contactReminders.find((reminder) => reminder.status === 'pending' && reminder.requestedBy.party === requestedBy.party);
  if (open) {
    throw conflict('CONTACT_REMINDER_PENDING', `contact reminder ${open.reminderId} still awaits support`, {
      reminderId: open.reminderId,
    });
  }
  return [
    {
      type: 'ContactReminderRequested',
      data: {
        contractId: state.contractId,
        reminderId: command.reminderId,
        requestedBy,
        counterparty: counterpartyOf(state, requestedBy),
        ...(command.message !== undefined ? { message: command.message } : {}),
        requestedAt: command.at,
      },
    },
  ];
};

const requirePendingReminder = (state: ContractState, reminderId: string): ContactReminderState => {
  const reminder = state.contactReminders.find((candidate) => candidate.reminderId === reminderId);
  if (!reminder) throw notFound('CONTACT_REMINDER_NOT_FOUND', `no contact reminder ${reminderId}`, { reminderId });
  if (reminder.status !== 'pending') {
    throw conflict('CONTACT_REMINDER_ALREADY_DECIDED', `contact reminder ${reminderId} was ${reminder.status}`, {
      reminderId,
      status: reminder.status,
    });
  }
  return reminder;
};

/** What support's answer to a reminder records, approval or denial alike. */
const answerOf = (
  state: ContractState,
  reminder: ContactReminderState,
  command: ApproveContactReminder | DenyContactReminder,
): ContactReminderDecidedData => ({
  contractId: state.contractId,
  reminderId: reminder.reminderId,
  supportId: command.actor.id,
  ...(command.reason !== undefined ? { reason: command.reason } : {}),
  decidedAt: command.at,
});

/** Prompting the counterparty only makes sense while the contract is still running. */
export const decideApproveContactReminder = (command: ApproveContactReminder, state: ContractState): ContactReminderApproved[] => {
  requireContract(state);
  requireRole(command.actor, ['support']);
  validate().id(command.reminderId, 'reminderId').optionalText(command.reason, 'reason', 'INVALID_REASON').done();
  requireActive(state);
  const reminder = requirePendingReminder(state, command.reminderId);
  return [{ type: 'ContactReminderApproved', data: answerOf(state, reminder, command) }];
};

/** A denial may close a request left pending after the contract ended. */
export const decideDenyContactReminder = (command: DenyContactReminder, state: ContractState): ContactReminderDenied[] => {
  requireContract(state);
  requireRole(command.actor, ['support']);
  validate().id(command.reminderId, 'reminderId').text(command.reason, 'reason', 'INVALID_REASON').done();
  const reminder = requirePendingReminder(state, command.reminderId);
  // A denial's reason is required (validated above), so its event names it as required.
  return [{ type: 'ContactReminderDenied', data: { ...answerOf(state, reminder, command), reason: command.reason } }];
};
