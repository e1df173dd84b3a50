/**
 * A contract history as plain text: a table of the events with the contract's money after each, what each changed
 * and the postings it caused under it, then the money per milestone at the end. Only ASCII is added around the
 * service's own words, so the text pastes into incident notes as it shows in a terminal.
 */

import type { AmountChange, MilestoneDiff, MoneyFigure, MoneyFigures, TextChange } from '@escrow/domain/contract';
import type { ContractHistory, ContractHistoryEntry } from '@escrow/projections/contract-history/contract-history';
import type { Posting } from '@escrow/projections/ledger/postings';

/** The figures the table shows, in the order support reads them: what came in, what is held, what went out. */
const SHOWN: readonly { figure: MoneyFigure; label: string }[] = [
  { figure: 'funded', label: 'funded' },
  { figure: 'inEscrow', label: 'in escrow' },
  { figure: 'paidOut', label: 'paid out' },
  { figure: 'fee', label: 'fee' },
  { figure: 'net', label: 'net' },
  { figure: 'refunded', label: 'refunded' },
  { figure: 'cancelled', label: 'cancelled' },
];

const LABELS: Record<MoneyFigure, string> = {
  amount: 'amount',
  gross: 'gross',
  funded: 'funded',
  inEscrow: 'in escrow',
  paidOut: 'paid out',
  feeExTax: 'fee ex tax',
  feeTax: 'fee tax',
  fee: 'fee',
  net: 'net',
  refunded: 'refunded',
  cancelled: 'cancelled',
};

/** Whole yen with thousands separators; money is integer yen, so no rounding happens here. */
export function formatYen(yen: number): string {
  const digits = String(Math.abs(yen)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return yen < 0 ? `-${digits}` : digits;
}

/**
 * Text as one printable line. Titles and reasons may hold a line feed or a tab (the domain keeps them), and events
 * recorded before its rules may hold anything: written raw, a line feed would start a line that reads like a row of
 * the table or a ledger posting, an escape would drive the terminal, and a direction override would reorder what
 * shows. Each is written as its escape instead (\n, \t, \u202e).
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
export const printable = (text: string): string =>
  text.replace(UNPRINTABLE, (unit) => (unit === '\n' ? '\\n' : unit === '\t' ? '\\t' : `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`));

const signed = (yen: number): string => (yen > 0 ? `+${formatYen(yen)}` : formatYen(yen));

type Align = 'left' | 'right';

/** Columns as wide as their widest cell; the last column is not padded so lines carry no trailing spaces. */
function table(header: readonly string[], align: readonly Align[], cells: readonly (readonly string[])[]): string[] {
  const rows = cells.map((row) => row.map(printable));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (align[column] === 'right' ? cell.padStart(widths[column]) : column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

const amounts = (changes: readonly AmountChange[]): string =>
  changes.map((change) => `${LABELS[change.field]} ${signed(change.delta)}`).join(', ');

/** A change of a fact: just its value when it appeared, and "-" for a value that went away. */
const factChange = (change: TextChange): string =>
  change.before === null ? `${change.field} ${change.after ?? '-'}` : `${change.field} ${change.before} -> ${change.after ?? '-'}`;

function milestoneLine(change: MilestoneDiff): string {
  const parts: string[] = [];
  if (change.change === 'added') parts.push(`added (${change.status?.after ?? '-'})`);
  else if (change.change === 'removed') parts.push('removed');
  else if (change.status) parts.push(`${change.status.before ?? '-'} -> ${change.status.after ?? '-'}`);
  if (change.money.length > 0) parts.push(amounts(change.money));
  // An added milestone's title is already on the line.
  parts.push(...change.terms.filter((term) => !(change.change === 'added' && term.field === 'title')).map(factChange));
  return `milestone ${change.milestoneId} "${change.title}": ${parts.join('; ')}`;
}

const postingLine = ({ account, debit, credit }: Posting): string[] => [
  ...(debit !== 0 ? [`Dr ${account} ${formatYen(debit)}`] : []),
  ...(credit !== 0 ? [`Cr ${account} ${formatYen(credit)}`] : []),
];

/** What an event changed and what it booked, one fact a line, shown under its row. */
export function detailLines(entry: ContractHistoryEntry): string[] {
  return [
    ...entry.changes.milestones.map(milestoneLine),
    ...entry.changes.terms.map(factChange),
    ...entry.postings.flatMap(postingLine).map((line) => `ledger ${line}`),
  ].map(printable);
}

const moneyCells = (figures: MoneyFigures): string[] => SHOWN.map(({ figure }) => formatYen(figures[figure]));

function timeline(history: ContractHistory): string[] {
  const header = ['rev', 'occurred', 'event', 'actor', 'via', 'status', ...SHOWN.map(({ label }) => label)];
  const align: Align[] = ['right', 'left', 'left', 'left', 'left', 'left', ...SHOWN.map((): Align => 'right')];
  const rows = history.events.map((entry) => [
    String(entry.revision),
    entry.occurredAt,
    entry.type,
    `${entry.actor.id} (${entry.actor.role})`,
    entry.callingService ?? '-',
    entry.after.status,
    ...moneyCells(entry.money.totals),
  ]);
  const [head, rule, ...lines] = table(header, align, rows);
  // Details start under the occurred column: past the revisions and the two spaces between columns.
  const indent = ' '.repeat(rule.indexOf(' ') + 2);
  return [head, rule, ...lines.flatMap((line, index) => [line, ...detailLines(history.events[index]).map((detail) => `${indent}${detail}`)])];
}

function milestones(history: ContractHistory): string[] {
  const money = history.money!;
  const header = ['milestone', 'status', 'gross', ...SHOWN.map(({ label }) => label), 'fee ex tax', 'fee tax', 'title'];
  const align: Align[] = ['left', 'left', ...Array<Align>(SHOWN.length + 3).fill('right'), 'left'];
  const row = (id: string, status: string, figures: MoneyFigures, title: string) => [
    id,
    status,
    formatYen(figures.gross),
    ...moneyCells(figures),
    formatYen(figures.feeExTax),
    formatYen(figures.feeTax),
    title,
  ];
  return table(header, align, [...money.milestones.map((m) => row(m.milestoneId, m.status, m, m.title)), row('total', '', money.totals, '')]);
}

/** The whole history as text, ending with a line feed. */
export function renderHistory(history: ContractHistory): string {
  const cut = history.asOf === null ? '' : ` as of ${history.asOf}`;
  if (history.state === null) {
    return `Contract ${history.contractId}${cut}: no event yet (the offer came later).\n`;
  }
  const state = history.state;
  const lines = [
    `Contract ${history.contractId} "${printable(state.title)}"`,
    `client ${state.clientId}, worker ${state.workerId}; ${state.status} at revision ${history.revision}${cut}; ` +
      `fee schedule ${state.feeScheduleId ?? 'default'}, tax rate ${state.taxRate ?? 'not fixed yet'}`,
    '',
    'Timeline (money: the contract totals after each event, in yen):',
    ...timeline(history),
    '',
    `Money per milestone at revision ${history.revision} (yen):`,
    ...milestones(history),
  ];
  return `${lines.join('\n')}\n`;
}
