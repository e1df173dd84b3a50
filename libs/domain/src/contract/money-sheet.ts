import Decimal from 'decimal.js';
import { toYen } from '../money/yen';
import type { ContractView, MilestoneStatus, MilestoneView } from './view-types';

/**
 * Where a contract's money stands, milestone by milestone: the one computation a timeline shows after each event
 * (the history route, the support console, the replay command). Every figure is whole yen, gross (税込) unless named
 * otherwise, and follows from the contract's view alone.
 */
export interface MoneyFigures {
  /** Tax-exclusive amount agreed. */
  amount: number;
  /** Gross agreed (fixed at acceptance or by a change of terms); 0 while only offered. */
  gross: number;
  /** Everything the client prepaid. */
  funded: number;
  /** funded − paidOut − refunded: what escrow holds now. */
  inEscrow: number;
  /** Gross released to the worker, before the fee. */
  paidOut: number;
  feeExTax: number;
  feeTax: number;
  /** feeExTax + feeTax, kept by the platform. */
  fee: number;
  /** paidOut − fee: what the worker received. */
  net: number;
  /** Escrow returned to the client. */
  refunded: number;
  /** Gross of a cancelled milestone that was never funded: what the client no longer owes. */
  cancelled: number;
}

export const MONEY_FIGURES = ['amount', 'gross', 'funded', 'inEscrow', 'paidOut', 'feeExTax', 'feeTax', 'fee', 'net', 'refunded', 'cancelled'] as const satisfies readonly (keyof MoneyFigures)[];
export type MoneyFigure = (typeof MONEY_FIGURES)[number];

export interface MilestoneMoney extends MoneyFigures {
  milestoneId: string;
  title: string;
  status: MilestoneStatus;
}

export interface ContractMoney {
  milestones: MilestoneMoney[];
  /** Each figure summed over the milestones. */
  totals: MoneyFigures;
}

export const milestoneMoneyOf = (milestone: MilestoneView): MilestoneMoney => {
  const gross = milestone.gross ?? 0;
  const payout = milestone.payout;
  const cancelled = milestone.status === 'cancelled' ? Decimal.max(0, new Decimal(gross).minus(milestone.fundedGross)) : new Decimal(0);
  return {
    milestoneId: milestone.milestoneId,
    title: milestone.title,
    status: milestone.status,
    amount: milestone.amount,
    gross,
    funded: milestone.fundedGross,
    inEscrow: milestone.escrowBalance,
    paidOut: payout?.gross ?? 0,
    feeExTax: payout?.feeExTax ?? 0,
    feeTax: payout?.feeTax ?? 0,
    fee: payout?.fee ?? 0,
    net: payout?.net ?? 0,
    refunded: milestone.refundedTotal,
    cancelled: toYen(cancelled, 'cancelled'),
  };
};

const sumOf = (milestones: readonly MoneyFigures[], figure: MoneyFigure): number =>
  toYen(
    milestones.reduce((total, milestone) => total.plus(milestone[figure]), new Decimal(0)),
    figure,
  );

/** The money sheet of a contract as its view stands. */
export const contractMoneyOf = (view: Pick<ContractView, 'milestones'>): ContractMoney => {
  const milestones = view.milestones.map(milestoneMoneyOf);
  const totals = Object.fromEntries(MONEY_FIGURES.map((figure) => [figure, sumOf(milestones, figure)])) as unknown as MoneyFigures;
  return { milestones, totals };
};
