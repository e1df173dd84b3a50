import Database from 'better-sqlite3';
import type { Decider, DomainEvent } from '@escrow/domain/shared/decider';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../../projection';

/**
 * Feeds projections the way the runtime does (setup, prepare, events in global order inside a
 * transaction) from streams driven by the real deciders, so the specs see events of the real shape.
 */
export class ProjectionDriver {
  readonly db = new Database(':memory:');
  readonly log: RecordedEvent[] = [];
  private readonly handlers: ((event: RecordedEvent) => void)[];
  private readonly states = new Map<string, unknown>();
  private readonly revisions = new Map<string, number>();

  constructor(readonly projections: readonly Projection[]) {
    for (const projection of projections) projection.setup(this.db);
    this.handlers = projections.map((projection) => projection.prepare(this.db));
  }

  /** Decides the command on the stream's current state, records the events and applies them. */
  run<Command, State, Event extends DomainEvent>(decider: Decider<Command, State, Event>, streamId: string, command: Command & { at: string }): Event[] {
    const state = (this.states.has(streamId) ? this.states.get(streamId) : decider.initialState()) as State;
    const events = decider.decide(command, state);
    this.states.set(streamId, events.reduce(decider.evolve, state));
    this.record(streamId, events, command.at);
    return events;
  }

  /** Records events as they are (for streams whose decider the spec does not need). */
  record(streamId: string, events: readonly DomainEvent[], occurredAt: string): RecordedEvent[] {
    const recorded = events.map((event) => {
      const revision = (this.revisions.get(streamId) ?? -1) + 1;
      this.revisions.set(streamId, revision);
      const position = this.log.length + 1;
      const stored: RecordedEvent = {
        id: `event-${position}`,
        streamId,
        revision,
        position,
        recordedAt: occurredAt,
        type: event.type,
        data: event.data as Record<string, unknown>,
        metadata: { schemaVersion: 1, occurredAt, actor: { id: 'spec', role: 'system' }, correlationId: 'spec', causationId: 'spec' },
      };
      this.log.push(stored);
      return stored;
    });
    this.db.transaction(() => {
      for (const event of recorded) for (const handle of this.handlers) handle(event);
    })();
    return recorded;
  }

  /** A fresh database with the same log applied from position zero: what a rebuild produces. */
  rebuilt(): Database.Database {
    const db = new Database(':memory:');
    for (const projection of this.projections) projection.setup(db);
    const handlers = this.projections.map((projection) => projection.prepare(db));
    db.transaction(() => {
      for (const event of this.log) for (const handle of handlers) handle(event);
    })();
    return db;
  }

  /** Every row of every table of the projections, for comparing two databases. */
  static dump(db: Database.Database, projections: readonly Projection[]): Record<string, unknown[]> {
    const dump: Record<string, unknown[]> = {};
    for (const table of projections.flatMap((projection) => projection.tables)) {
      dump[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).all();
    }
    return dump;
  }
}
