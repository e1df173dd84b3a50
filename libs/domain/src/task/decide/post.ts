import { isPositiveYen } from '../../shared/field-errors';
import { MAX_GATEWAY_REFERENCE_LENGTH, MAX_TITLE_LENGTH } from '../../shared/limits';
import { conflict } from '../../shared/domain-error';
import { consumptionTaxRateAt } from '../../money/tax';
import { validate } from '../../contract/validation';
import type { PostTask } from '../commands';
import type { TaskFunded, TaskPosted } from '../events';
import { requireOpenAccount, requireUser } from '../guards';
import {
  autoApprovalAtOf,
  MAX_TASK_APPLICATION_DAYS,
  MAX_TASK_SLOTS,
  MAX_TASK_UNIT_PRICE,
  MIN_TASK_SLOTS,
  MIN_TASK_UNIT_PRICE,
  slotsValue,
  TASK_APPLICATION_PERIOD_MAX_MS,
  TASK_FEE_SCHEDULE,
  TASK_REJECTION_CAP_POLICY,
} from '../policy';
import type { TaskState } from '../state';

const wholeNumberIn = (value: unknown, minimum: number, maximum: number): 'min' | 'max' | 'isInt' | undefined => {
  if (!isPositiveYen(value)) return typeof value === 'number' && Number.isSafeInteger(value) ? 'min' : 'isInt';
  if (value < minimum) return 'min';
  return value > maximum ? 'max' : undefined;
};

/** The client posts a task and prepays unit price × slots: the task and its escrow begin together. */
export function decidePostTask(command: PostTask, state: TaskState): (TaskPosted | TaskFunded)[] {
  requireUser(command.actor);
  const check = validate()
    .id(command.taskId, 'taskId')
    .text(command.title, 'title', 'INVALID_TITLE', MAX_TITLE_LENGTH)
    .instant(command.applicationDeadline, 'applicationDeadline')
    .text(command.paymentReference, 'paymentReference', 'INVALID_PAYMENT_REFERENCE', MAX_GATEWAY_REFERENCE_LENGTH)
    .paymentMethod(command.method, 'method');
  const priceBreach = wholeNumberIn(command.unitPrice, MIN_TASK_UNIT_PRICE, MAX_TASK_UNIT_PRICE);
  if (priceBreach) check.add('unitPrice', 'INVALID_UNIT_PRICE', `unitPrice must be a whole number of yen from ${MIN_TASK_UNIT_PRICE} to ${MAX_TASK_UNIT_PRICE}`, priceBreach);
  const slotsBreach = wholeNumberIn(command.slots, MIN_TASK_SLOTS, MAX_TASK_SLOTS);
  if (slotsBreach) check.add('slots', 'INVALID_SLOTS', `slots must be a whole number from ${MIN_TASK_SLOTS} to ${MAX_TASK_SLOTS}`, slotsBreach);
  const period = Date.parse(command.applicationDeadline) - Date.parse(command.at);
  if (Number.isFinite(period) && (period <= 0 || period > TASK_APPLICATION_PERIOD_MAX_MS)) {
    check.add(
      'applicationDeadline',
      'INVALID_APPLICATION_DEADLINE',
      `applicationDeadline must be after the posting and at most ${MAX_TASK_APPLICATION_DAYS} days after it`,
      'applicationPeriod',
    );
  }
  check.done();
  if (state.status !== 'none') throw conflict('TASK_ALREADY_POSTED', `task ${command.taskId} was already posted`, { taskId: command.taskId });
  requireOpenAccount(command.actor.id, command.closedAccounts, 'CLIENT_ACCOUNT_CLOSED');

  const base = { taskId: command.taskId, clientId: command.actor.id };
  const applicationDeadline = new Date(Date.parse(command.applicationDeadline)).toISOString();
  return [
    {
      type: 'TaskPosted',
      data: {
        ...base,
        title: command.title,
        unitPrice: command.unitPrice,
        slots: command.slots,
        applicationDeadline,
        autoApprovalAt: autoApprovalAtOf(applicationDeadline),
        taxRate: consumptionTaxRateAt(command.at),
        feeScheduleId: TASK_FEE_SCHEDULE.id,
        rejectionCap: { ...TASK_REJECTION_CAP_POLICY },
        postedAt: command.at,
      },
    },
    {
      type: 'TaskFunded',
      data: { ...base, amount: slotsValue(command.unitPrice, command.slots), paymentReference: command.paymentReference, method: command.method, fundedAt: command.at },
    },
  ];
}
