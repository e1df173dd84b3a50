import type { Decider, DomainEvent } from '../shared/decider';
import { invalid, unknownCommand } from '../shared/domain-error';
import type { IndexCommandBase } from './index-commands';

/**
 * The index streams began after events they index had been recorded. A one-off pass over the log records
 * those older facts in the index streams; this stream records that the pass was made, and up to which
 * position, so it runs once per store and every later command trusts the indexes.
 */
export interface RecordIndexBackfill extends IndexCommandBase<'RecordIndexBackfill'> {
  /** The global position the pass read up to (inclusive). */
  upToPosition: number;
}

export type IndexBackfillCommand = RecordIndexBackfill;
export type IndexesBackfilled = DomainEvent<'IndexesBackfilled', { upToPosition: number }>;
export type IndexBackfillEvent = IndexesBackfilled;

export const INDEX_BACKFILL_EVENT_SCHEMA_VERSIONS: Readonly<Record<IndexBackfillEvent['type'], number>> = { IndexesBackfilled: 1 };

export interface IndexBackfillState {
  backfilledUpTo: number | null;
}

export const initialIndexBackfillState = (): IndexBackfillState => ({ backfilledUpTo: null });

export const evolveIndexBackfill = (state: IndexBackfillState, event: IndexBackfillEvent): IndexBackfillState =>
  event.type === 'IndexesBackfilled' ? { backfilledUpTo: event.data.upToPosition } : state;

export function decideIndexBackfill(command: IndexBackfillCommand, state: IndexBackfillState): IndexBackfillEvent[] {
  if (command.type !== 'RecordIndexBackfill') {
    throw unknownCommand('index backfill', command);
  }
  if (!Number.isSafeInteger(command.upToPosition) || command.upToPosition < 0) {
    throw invalid('VALIDATION_FAILED', 'Invalid upToPosition.', {
      errors: [{ field: 'upToPosition', rule: 'integer', message: 'must be a non-negative integer' }],
    });
  }
  // A pass made by a racing process counts: the first record stands.
  if (state.backfilledUpTo !== null) return [];
  return [{ type: 'IndexesBackfilled', data: { upToPosition: command.upToPosition } }];
}

export const indexBackfillDecider: Decider<IndexBackfillCommand, IndexBackfillState, IndexBackfillEvent> = {
  decide: decideIndexBackfill,
  evolve: evolveIndexBackfill,
  initialState: initialIndexBackfillState,
};
