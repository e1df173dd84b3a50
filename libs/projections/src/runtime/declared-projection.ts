/**
 * A projection stated as data and pure mappings: its tables (DDL, and the key changes address rows by) and,
 * per event type, the row changes an event makes. The runtime owns the rest: it prepares the statements,
 * holds the changes back within a batch (`RowChangeBuffer`) and writes them before the batch's checkpoint
 * moves, in the batch's one transaction.
 */

import type { AccountEvent } from '@escrow/domain/account';
import type { ContractEvent } from '@escrow/domain/contract';
import type { HourlyEvent } from '@escrow/domain/hourly';
import { EVENT_SCHEMA_VERSIONS } from '@escrow/domain/event-schemas';
import type { TaskEvent } from '@escrow/domain/task';
import type { WalletEvent } from '@escrow/domain/wallet';
import type { RecordedEvent } from '@escrow/event-store/port';
import { batchingProjection, type Projection } from '../projection';
import { RowChangeBuffer, type RowReader, type TableDeclaration } from './row-change-buffer';
import type { RowChange, RowChanges } from './row-changes';

/** Every event the domain defines. */
export type KnownEvent = ContractEvent | WalletEvent | AccountEvent | TaskEvent | HourlyEvent;

/** A recorded event of one known type, its data typed. */
export type RecordedEventOf<Type extends KnownEvent['type']> = Omit<RecordedEvent, 'type' | 'data'> & Extract<KnownEvent, { type: Type }>;

/** Each known event type's recorded event. */
type RecordedEvents = { [Type in KnownEvent['type']]: RecordedEventOf<Type> };

type EventMappings = { readonly [Type in KnownEvent['type']]?: EventMapping<RecordedEvents[Type]> };

/** Every type the upcaster registry names is one the domain defines: the one list, whichever stream records it. */
const isKnownEvent = (event: { type: string }): event is RecordedEvents[KnownEvent['type']] => Object.hasOwn(EVENT_SCHEMA_VERSIONS, event.type);

/** The row changes one event makes; `read` sees the projection's tables with the batch's changes so far. */
export type EventMapping<Event> = (event: Event, read: RowReader) => RowChanges;

export interface TableDefinition extends TableDeclaration {
  /** Creates the table and its indexes if they do not exist. */
  readonly ddl: string;
}

export interface ProjectionDefinition {
  readonly name: string;
  /** Bumped whenever the tables or the mappings change: a stored checkpoint of another version triggers a rebuild. */
  readonly version: number;
  readonly tables: Readonly<Record<string, TableDefinition>>;
  /** Events of other streams are not handed to the mappings (e.g. only the contract streams). */
  readonly accepts?: (event: RecordedEvent) => boolean;
  readonly on: EventMappings;
  /** Every accepted event no mapping in `on` names, of a known type or not. */
  readonly otherwise?: EventMapping<RecordedEvent>;
}

function applyAll(buffer: RowChangeBuffer, changes: RowChanges): void {
  if (changes === undefined) return;
  if (!Array.isArray(changes)) {
    buffer.apply(changes as RowChange);
    return;
  }
  for (const change of changes as readonly RowChange[]) buffer.apply(change);
}

/** The changes of the mapping `on` names for the event's type (one it has: see `mappingsByType`). */
function mapKnown<Type extends KnownEvent['type']>(on: EventMappings, event: RecordedEvents[Type], read: RowReader): RowChanges | null {
  const mapping: EventMapping<RecordedEvents[Type]> | undefined = on[event.type as Type];
  return mapping === undefined ? null : mapping(event, read);
}

/**
 * Each event type's mapping, looked up once per event. A type `on` names that the domain does not define
 * (its typing forbids one) has none: such an event goes to `otherwise` like any other the mappings do not name.
 */
function mappingsByType(on: EventMappings): ReadonlyMap<string, EventMapping<RecordedEvent>> {
  const byType = new Map<string, EventMapping<RecordedEvent>>();
  for (const type of Object.keys(on)) {
    if (!isKnownEvent({ type }) || on[type as KnownEvent['type']] === undefined) continue;
    byType.set(type, (event, read) => (isKnownEvent(event) ? (mapKnown(on, event, read) ?? undefined) : undefined));
  }
  return byType;
}

/** The projection the engine runs for a definition: its handler maps each event and buffers the changes. */
export function declareProjection(definition: ProjectionDefinition): Projection {
  const { accepts, otherwise } = definition;
  const mappings = mappingsByType(definition.on);
  return batchingProjection({
    name: definition.name,
    version: definition.version,
    tables: Object.keys(definition.tables),
    setup(db) {
      for (const table of Object.values(definition.tables)) db.exec(table.ddl);
    },
    prepareBatch(db) {
      const buffer = new RowChangeBuffer(db, definition.tables);
      return {
        apply(event) {
          const mapping = mappings.get(event.type) ?? otherwise;
          // Before any other work: an event neither a mapping nor `otherwise` takes costs one lookup.
          if (mapping === undefined || (accepts !== undefined && !accepts(event))) return;
          applyAll(buffer, mapping(event, buffer));
        },
        flush: () => buffer.flush(),
      };
    },
  });
}
