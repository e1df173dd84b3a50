import {
  type ContractDiff,
  type ContractEvent,
  type ContractMoney,
  type ContractState,
  type ContractView,
  contractDecider,
  contractMoneyOf,
  contractView,
  diffContractViews,
} from '@escrow/domain/contract';
import type { RecordedEvent } from '@escrow/event-store/port';
import { type Posting, postingsFor } from '../ledger/postings';
import { registryUpcaster } from '../runtime/upcaster';

/**
 * One step of a contract's timeline: an event (in its current shape), the contract right after it, its money sheet,
 * the ledger postings the event caused and what it changed. The history route, the support console and the replay
 * command all render these steps, so the money shown after an event is computed here and only here.
 */
export interface TimelineStep {
  event: RecordedEvent;
  state: ContractView;
  money: ContractMoney;
  /** The same postings the ledger projection books for this event (none for an event that moves no money). */
  postings: Posting[];
  /** What the event changed in the contract. */
  changes: ContractDiff;
}

/** The view of a folded stream; null before the offer (an empty stream, or events of no known type yet). */
export const viewOf = (state: ContractState): ContractView | null => (state.status === 'none' ? null : contractView(state));

/**
 * The timeline of a contract stream's events, in stream order. Events are upcast through the one registry the
 * ledger and the command pipeline use; an event of a type the contract does not know changes nothing and posts
 * what the ledger would post for it.
 */
export function contractTimeline(events: readonly RecordedEvent[]): TimelineStep[] {
  let state = contractDecider.initialState();
  let before: ContractView | null = null;
  const steps: TimelineStep[] = [];
  for (const recorded of events) {
    const event = registryUpcaster(recorded);
    state = contractDecider.evolve(state, { type: event.type, data: event.data } as unknown as ContractEvent);
    const after = viewOf(state);
    // A stream always opens with its offer: a step without a contract would be a stream of another kind.
    if (after === null) throw new Error(`${recorded.streamId} revision ${recorded.revision}: no contract after ${recorded.type}`);
    steps.push({ event, state: after, money: contractMoneyOf(after), postings: postingsFor(event), changes: diffContractViews(before, after) });
    before = after;
  }
  return steps;
}
