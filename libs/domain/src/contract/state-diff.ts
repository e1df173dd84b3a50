import Decimal from 'decimal.js';
import { contractMoneyOf, MONEY_FIGURES, type MilestoneMoney, type MoneyFigure, type MoneyFigures } from './money-sheet';
import type { ContractStatus, ContractView, MilestoneStatus, MilestoneView } from './view-types';

/** A money figure that moved: before and after in whole yen, and the signed difference. */
export interface AmountChange {
  field: MoneyFigure;
  before: number;
  after: number;
  delta: number;
}

/** A text fact that changed; null where it is absent (no pending change, no contract yet). */
export interface TextChange {
  field: string;
  before: string | null;
  after: string | null;
}

export interface StatusChange<Status> {
  before: Status | null;
  after: Status | null;
}

export type MilestoneChangeKind = 'added' | 'removed' | 'changed';

export interface MilestoneDiff {
  milestoneId: string;
  title: string;
  change: MilestoneChangeKind;
  /** Null when the status stayed the same. */
  status: StatusChange<MilestoneStatus> | null;
  money: AmountChange[];
  /** Title and due date. */
  terms: TextChange[];
}

/**
 * What changed between two states of one contract: its status, its money totals, each milestone that changed
 * (status, money, terms), and the contract's other facts (title, fee schedule, tax rate, pending change of terms
 * or termination, contact reminders). Only what changed is named.
 */
export interface ContractDiff {
  status: StatusChange<ContractStatus> | null;
  money: AmountChange[];
  milestones: MilestoneDiff[];
  terms: TextChange[];
}

const ZERO_FIGURES: MoneyFigures = Object.fromEntries(MONEY_FIGURES.map((figure) => [figure, 0])) as unknown as MoneyFigures;

function amountChanges(before: MoneyFigures, after: MoneyFigures): AmountChange[] {
  return MONEY_FIGURES.filter((field) => before[field] !== after[field]).map((field) => ({
    field,
    before: before[field],
    after: after[field],
    delta: new Decimal(after[field]).minus(before[field]).toNumber(),
  }));
}

function textChanges(before: Record<string, string | null>, after: Record<string, string | null>): TextChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }))
    .filter((change) => change.before !== change.after);
}

const statusChange = <Status>(before: Status | null, after: Status | null): StatusChange<Status> | null =>
  before === after ? null : { before, after };

const milestoneTerms = (milestone: MilestoneView | undefined): Record<string, string | null> =>
  milestone === undefined ? {} : { title: milestone.title, dueDate: milestone.dueDate };

/** The contract's facts other than status, money and milestones, each as a text. */
function contractTerms(view: ContractView | null): Record<string, string | null> {
  if (view === null) return {};
  const terms: Record<string, string | null> = {
    title: view.title,
    feeScheduleId: view.feeScheduleId,
    taxRate: view.taxRate,
    pendingTermsChange: view.pendingTermsChange?.changeId ?? null,
    pendingTermination: view.pendingTermination ? `${view.pendingTermination.requestedBy.party}:${view.pendingTermination.requestedBy.id}` : null,
  };
  for (const reminder of view.contactReminders) terms[`contactReminder:${reminder.reminderId}`] = reminder.status;
  return terms;
}

function milestoneChanges(before: ContractView | null, after: ContractView | null): MilestoneDiff[] {
  const moneyBefore = new Map((before ? contractMoneyOf(before).milestones : []).map((money) => [money.milestoneId, money]));
  const moneyAfter = new Map((after ? contractMoneyOf(after).milestones : []).map((money) => [money.milestoneId, money]));
  const viewsBefore = new Map((before?.milestones ?? []).map((milestone) => [milestone.milestoneId, milestone]));
  const viewsAfter = new Map((after?.milestones ?? []).map((milestone) => [milestone.milestoneId, milestone]));
  // The milestones after, in their order, then those that are gone.
  const ids = [...new Set([...viewsAfter.keys(), ...viewsBefore.keys()])];
  const changes: MilestoneDiff[] = [];
  for (const milestoneId of ids) {
    const was: MilestoneMoney | undefined = moneyBefore.get(milestoneId);
    const is: MilestoneMoney | undefined = moneyAfter.get(milestoneId);
    const change: MilestoneDiff = {
      milestoneId,
      title: (is ?? was)!.title,
      change: was === undefined ? 'added' : is === undefined ? 'removed' : 'changed',
      status: statusChange(was?.status ?? null, is?.status ?? null),
      money: amountChanges(was ?? ZERO_FIGURES, is ?? ZERO_FIGURES),
      terms: textChanges(milestoneTerms(viewsBefore.get(milestoneId)), milestoneTerms(viewsAfter.get(milestoneId))),
    };
    if (change.change !== 'changed' || change.status !== null || change.money.length > 0 || change.terms.length > 0) changes.push(change);
  }
  return changes;
}

/** What changed from `before` to `after` (null: before the offer). */
export function diffContractViews(before: ContractView | null, after: ContractView | null): ContractDiff {
  return {
    status: statusChange(before?.status ?? null, after?.status ?? null),
    money: amountChanges(before ? contractMoneyOf(before).totals : ZERO_FIGURES, after ? contractMoneyOf(after).totals : ZERO_FIGURES),
    milestones: milestoneChanges(before, after),
    terms: textChanges(contractTerms(before), contractTerms(after)),
  };
}

/** True when nothing changed. */
export const isEmptyDiff = (diff: ContractDiff): boolean =>
  diff.status === null && diff.money.length === 0 && diff.milestones.length === 0 && diff.terms.length === 0;
