import { type EscrowMoney, emptyEscrowMoney, escrowMoneyAfter, formatEscrowMovementOf, type OtherWorkFormat } from '@escrow/domain/escrow';
import { type ValueChange, valueChanges } from '@escrow/domain/shared/value-changes';
import type { RecordedEvent } from '@escrow/event-store/port';
import { asOfFilter, type HistoryEventSummary, summaryOf } from '../contract-history/contract-history';
import { type Posting, postingsFor } from '../ledger/postings';
import { registryUpcaster } from '../runtime/upcaster';

/**
 * The history of an hourly contract, a task or a competition as support replays it: after each event, who acted and
 * through which service, the whole state, the money line by line (weeks, slots, adoptions) from the format's escrow
 * movements, the postings the ledger books for it and what changed. One builder for every format, so each shows its
 * money the same way the ledger counts it.
 */
export interface FormatFold<State, View> {
  format: OtherWorkFormat;
  initialState(): State;
  evolve(state: State, event: { type: string; data: object }): State;
  /** The view of the folded state; null while the stream has not opened the work yet. */
  view(state: State): View | null;
}

export interface FormatHistoryEntry<View> extends HistoryEventSummary {
  data: Record<string, unknown>;
  after: View;
  money: EscrowMoney;
  postings: Posting[];
  changes: ValueChange[];
}

export interface FormatHistory<View> {
  format: OtherWorkFormat;
  id: string;
  asOf: string | null;
  /** Revision of the last event included (-1 when asOf is before the first). */
  revision: number;
  state: View | null;
  money: EscrowMoney | null;
  events: FormatHistoryEntry<View>[];
}

/** The history of a format's stream up to `asOf` (check it with `asOfBreach` first), always a prefix of the stream. */
export function formatHistoryOf<State, View>(fold: FormatFold<State, View>, id: string, recorded: readonly RecordedEvent[], asOf?: string): FormatHistory<View> {
  const includes = asOfFilter(asOf);
  const firstAfter = recorded.findIndex((event) => !includes(event));
  const included = firstAfter === -1 ? recorded : recorded.slice(0, firstAfter);
  let state = fold.initialState();
  let before: View | null = null;
  let money = emptyEscrowMoney();
  const events: FormatHistoryEntry<View>[] = [];
  for (const stored of included) {
    const event = registryUpcaster(stored);
    state = fold.evolve(state, { type: event.type, data: event.data });
    const after = fold.view(state);
    if (after === null) throw new Error(`${stored.streamId} revision ${stored.revision}: no ${fold.format} after ${stored.type}`);
    const movement = formatEscrowMovementOf(event);
    if (movement) money = escrowMoneyAfter(money, movement);
    events.push({ ...summaryOf(stored), data: event.data, after, money, postings: postingsFor(event), changes: valueChanges(before, after) });
    before = after;
  }
  const last = events.at(-1);
  return { format: fold.format, id, asOf: asOf ?? null, revision: included.length - 1, state: last?.after ?? null, money: last?.money ?? null, events };
}
