import Decimal from 'decimal.js';
import type { PayoutFigures } from '../escrow/movement';
import { ExactDecimal } from '../money/exact-decimal';
import type { FeeSchedule } from '../money/fee-schedules';
import { payoutFee } from '../money/fee';
import { toYen } from '../money/yen';

/**
 * The rules of a task (タスク形式) that are numbers: each one chosen once here, recorded in the task's events where it
 * decides money or a refusal, and explained in docs/formats.md ("Tasks").
 */

/** CrowdWorks' published minimum unit price of a task (1件あたり ¥5). */
export const MIN_TASK_UNIT_PRICE = 5;
/** ¥1,000,000 per submission: far above any real task, so unit price × slots stays well inside an exact integer. */
export const MAX_TASK_UNIT_PRICE = 1_000_000;
export const MIN_TASK_SLOTS = 1;
/** A task's slots (募集件数): bounded so that one prepayment and one stream stay small; a larger campaign is several tasks. */
export const MAX_TASK_SLOTS = 1_000;
/** The application period: the deadline lies after posting and at most this many days later. */
export const MAX_TASK_APPLICATION_DAYS = 90;
/** A submission's answer text: as long as a delivery's message. */
export { MAX_MESSAGE_LENGTH as MAX_TASK_CONTENT_LENGTH } from '../shared/limits';

const DAY_MS = 86_400_000;
/** Pending submissions are approved automatically this long after the application deadline (two weeks). */
export const TASK_AUTO_APPROVAL_AFTER_MS = 14 * DAY_MS;
export const TASK_APPLICATION_PERIOD_MAX_MS = MAX_TASK_APPLICATION_DAYS * DAY_MS;

/** The instant pending submissions of a task are approved automatically. */
export const autoApprovalAtOf = (applicationDeadline: string): string => new Date(Date.parse(applicationDeadline) + TASK_AUTO_APPROVAL_AFTER_MS).toISOString();

/**
 * How many submissions a client may reject (非承認) in one task: the larger of a fixed minimum and a share of the
 * completed (approved) submissions, rounded down. Recorded in the task when it is posted, so a later change of policy
 * applies to later tasks only.
 */
export interface TaskRejectionCapPolicy {
  id: string;
  minimum: number;
  /** A decimal string, e.g. '0.30'. */
  shareOfCompleted: string;
}

export const TASK_REJECTION_CAP_POLICY: TaskRejectionCapPolicy = Object.freeze({ id: 'max-3-or-30-percent', minimum: 3, shareOfCompleted: '0.30' });

/** The most rejections allowed with `completed` approved submissions: max(minimum, floor(share × completed)). */
export const rejectionCapOf = (policy: TaskRejectionCapPolicy, completed: number): number =>
  Math.max(policy.minimum, new ExactDecimal(completed).times(policy.shareOfCompleted).floor().toNumber());

/**
 * The task fee: a flat 20 % of each approved submission's unit price, with consumption tax on the fee, truncated to
 * the yen (CrowdWorks' published rate for tasks). One flat tier: the fee of a submission does not depend on any other.
 */
export const TASK_FEE_SCHEDULE: FeeSchedule = Object.freeze({
  id: 'task-flat-20',
  effectiveFrom: '2019-10-01',
  tiers: Object.freeze([Object.freeze({ upTo: null, rate: '0.20' })]) as FeeSchedule['tiers'],
  description: 'Tasks: a flat 20% of each approved submission, plus consumption tax on the fee.',
});

/**
 * The payout of one approved submission: the unit price, minus the flat fee computed on it alone. The cumulative
 * figures are the task's: what its approved submissions paid before and after this one.
 */
export function taskSubmissionPayout(unitPrice: number, taxRate: string, paidBefore: { gross: number; fee: number }): PayoutFigures {
  const own = payoutFee(TASK_FEE_SCHEDULE, taxRate, 0, unitPrice);
  return {
    gross: own.gross,
    feeExTax: own.feeExTax,
    feeTax: own.feeTax,
    fee: own.fee,
    net: own.net,
    tiers: own.tiers,
    cumulativeGrossBefore: paidBefore.gross,
    cumulativeGrossAfter: toYen(new Decimal(paidBefore.gross).plus(own.gross), 'cumulativeGrossAfter'),
    cumulativeFeeAfter: toYen(new Decimal(paidBefore.fee).plus(own.fee), 'cumulativeFeeAfter'),
    scheduleId: own.scheduleId,
    taxRate: own.taxRate,
  };
}

/** unit price × slots: what the client prepays, and the value of any number of slots. */
export const slotsValue = (unitPrice: number, slots: number): number => toYen(new Decimal(unitPrice).times(slots), 'amount');
