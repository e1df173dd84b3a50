import Decimal from 'decimal.js';
import type { MoneyFigures } from '../contract/money-sheet';
import { toYen } from '../money/yen';
import type { EscrowMovement } from './movement';

/**
 * Where the money of a piece of work stands, line by line (a week, a slot, an adoption), from its escrow movements
 * alone: what a timeline shows after each event of an hourly contract, a task or a competition. Whole yen, gross; the
 * figures mean what they mean on a fixed-price contract's money sheet.
 */
export type EscrowMoneyFigures = Pick<MoneyFigures, 'funded' | 'inEscrow' | 'paidOut' | 'feeExTax' | 'feeTax' | 'fee' | 'net' | 'refunded'>;

export const ESCROW_MONEY_FIGURES = ['funded', 'inEscrow', 'paidOut', 'feeExTax', 'feeTax', 'fee', 'net', 'refunded'] as const satisfies readonly (keyof EscrowMoneyFigures)[];

/**
 * One line's money. A line has no escrow of its own: a task's prepayment funds every slot at once and each approved
 * submission is paid from it, so only the work as a whole holds escrow (the totals' inEscrow).
 */
export interface EscrowLineMoney extends Omit<EscrowMoneyFigures, 'inEscrow'> {
  lineId: string;
}

export interface EscrowMoney {
  /** In the order each line first moved money. */
  lines: EscrowLineMoney[];
  /** Each figure summed over the lines. */
  totals: EscrowMoneyFigures;
}

const NOTHING: EscrowMoneyFigures = { funded: 0, inEscrow: 0, paidOut: 0, feeExTax: 0, feeTax: 0, fee: 0, net: 0, refunded: 0 };

export const emptyEscrowMoney = (): EscrowMoney => ({ lines: [], totals: { ...NOTHING } });

type Change = Partial<Record<keyof EscrowMoneyFigures, number>>;

const plus = <Figures extends Partial<EscrowMoneyFigures>>(figures: Figures, change: Change): Figures => {
  const next: Partial<EscrowMoneyFigures> = { ...figures };
  for (const figure of ESCROW_MONEY_FIGURES) {
    const by = change[figure];
    const was = next[figure];
    if (by !== undefined && was !== undefined) next[figure] = toYen(new Decimal(was).plus(by), figure);
  }
  return next as Figures;
};

const { inEscrow: _noLineEscrow, ...NO_LINE_MONEY } = NOTHING;

/** What one movement changes in each figure. */
function changeOf(movement: EscrowMovement): Change {
  switch (movement.kind) {
    case 'funded':
      return { funded: movement.amount, inEscrow: movement.amount };
    case 'paidOut': {
      const { gross, feeExTax, feeTax, fee, net } = movement.payout;
      return { paidOut: gross, feeExTax, feeTax, fee, net, inEscrow: -gross };
    }
    case 'refunded':
      return { refunded: movement.amount, inEscrow: -movement.amount };
  }
}

/** The money after one more movement. Pure: the sheet given is not changed. Throws when the escrow would go below zero. */
export function escrowMoneyAfter(money: EscrowMoney, movement: EscrowMovement): EscrowMoney {
  const change = changeOf(movement);
  const existing = money.lines.find((line) => line.lineId === movement.lineId);
  const line = { ...plus(existing ?? { ...NO_LINE_MONEY, lineId: movement.lineId }, change), lineId: movement.lineId };
  const lines = existing ? money.lines.map((each) => (each.lineId === line.lineId ? line : each)) : [...money.lines, line];
  return { lines, totals: plus(money.totals, change) };
}

export const escrowMoneyOf = (movements: readonly EscrowMovement[]): EscrowMoney => movements.reduce(escrowMoneyAfter, emptyEscrowMoney());
