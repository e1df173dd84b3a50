import type { MilestonePaidOutData } from '../contract/events';

/**
 * The marketplace's ways of working. A fixed-price contract (the `contract` stream) is the original one; hourly
 * contracts, tasks and competitions each have their own stream and decider, and share the money machinery through
 * the escrow movements below.
 */
export const WORK_FORMATS = ['fixed_price', 'hourly', 'task', 'competition'] as const;
export type WorkFormat = (typeof WORK_FORMATS)[number];

/** The formats with their own streams besides the fixed-price contract's. */
export type OtherWorkFormat = Exclude<WorkFormat, 'fixed_price'>;
const OTHER_WORK_FORMATS: readonly string[] = WORK_FORMATS.filter((format) => format !== 'fixed_price');

/** Separates a format from an id in an escrow id: no id may contain it (ID_PATTERN), so no contract id can pose as another format's escrow. */
const FORMAT_SEPARATOR = '~';

/**
 * The escrow a piece of work holds, named so that no two formats share one: a fixed-price contract's escrow keeps its
 * contract id (as it always has); another format's is `<format>~<id>`.
 */
export const escrowIdOf = (format: WorkFormat, id: string): string => (format === 'fixed_price' ? id : `${format}${FORMAT_SEPARATOR}${id}`);

/** The work an escrow id names; undefined when it names a format this service does not have. */
export function workOfEscrowId(escrowId: string): { format: WorkFormat; id: string } | undefined {
  const at = escrowId.indexOf(FORMAT_SEPARATOR);
  if (at < 0) return { format: 'fixed_price', id: escrowId };
  const format = escrowId.slice(0, at);
  return OTHER_WORK_FORMATS.includes(format) ? { format: format as OtherWorkFormat, id: escrowId.slice(at + 1) } : undefined;
}

/** What a payout released and charged, in the same figures a fixed-price milestone payout states (gross, fee, net, tiers). */
export type PayoutFigures = Pick<
  MilestonePaidOutData,
  'gross' | 'feeExTax' | 'feeTax' | 'fee' | 'net' | 'tiers' | 'cumulativeGrossBefore' | 'cumulativeGrossAfter' | 'cumulativeFeeAfter' | 'scheduleId' | 'taxRate'
>;

interface MovementBase {
  format: WorkFormat;
  /** `escrowIdOf(format, id)`: the ledger's escrow account of the work. */
  escrowId: string;
  /** The part of the work the money belongs to: a week, a slot's submission, an adoption. */
  lineId: string;
  clientId: string;
}

/** The client prepaid into escrow. */
export interface EscrowFundedMovement extends MovementBase {
  kind: 'funded';
  amount: number;
}

/** Escrow released to the worker, minus the fee. */
export interface EscrowPaidOutMovement extends MovementBase {
  kind: 'paidOut';
  workerId: string;
  /** Why the money moved, as the format names it (`week_settled`, `submission_approved`, `proposal_adopted`, …). */
  cause: string;
  payout: PayoutFigures;
}

/** Escrow returned to the client's wallet. */
export interface EscrowRefundedMovement extends MovementBase {
  kind: 'refunded';
  amount: number;
  cause: string;
}

export type EscrowMovement = EscrowFundedMovement | EscrowPaidOutMovement | EscrowRefundedMovement;
export type EscrowMovementKind = EscrowMovement['kind'];

/** How one event type of a format moves escrow: its kind, known from the type alone, and the movement its data states. */
export interface EscrowMovementReader {
  kind: EscrowMovementKind;
  read(data: object): EscrowMovement;
}

export type EscrowMovementReaders = Readonly<Record<string, EscrowMovementReader>>;
