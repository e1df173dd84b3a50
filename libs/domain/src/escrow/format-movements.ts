import { COMPETITION_ESCROW_MOVEMENTS } from '../competition/movements';
import { HOURLY_ESCROW_MOVEMENTS } from '../hourly/movements';
import type { EscrowMovement, EscrowMovementKind, EscrowMovementReaders } from './movement';
import { TASK_ESCROW_MOVEMENTS } from '../task/movements';

/**
 * Every event type of the hourly, task and competition streams that moves escrow, with how it does. The ledger, the
 * wallet credits and the fee reports read these formats' money through this one table; the fixed-price contract's
 * money events keep their own readers.
 */
export const FORMAT_ESCROW_MOVEMENTS: EscrowMovementReaders = {
  ...TASK_ESCROW_MOVEMENTS,
  ...COMPETITION_ESCROW_MOVEMENTS,
  ...HOURLY_ESCROW_MOVEMENTS,
};

/** The movement an event states, or undefined for an event of these formats that moves no money (or of another stream). */
export const formatEscrowMovementOf = (event: { type: string; data: unknown }): EscrowMovement | undefined =>
  Object.hasOwn(FORMAT_ESCROW_MOVEMENTS, event.type) ? FORMAT_ESCROW_MOVEMENTS[event.type].read(event.data as object) : undefined;

/** The event types whose movements are of one kind. */
export const formatEscrowEventTypes = (...kinds: EscrowMovementKind[]): string[] =>
  Object.entries(FORMAT_ESCROW_MOVEMENTS)
    .filter(([, reader]) => kinds.includes(reader.kind))
    .map(([type]) => type);
