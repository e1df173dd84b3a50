import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { ProjectionRuntime } from '../projections/projection-runtime';
import { CommandObserver, commandTypeOf, CommandOutcomeLabel, outcomeOfError } from './command-observer';

/** The methods an HTTP label may take; anything else is counted as `OTHER`, so a client cannot mint labels. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Command types are names in the code, a closed set; the cap only guards against a bug minting them. */
const MAX_COMMAND_TYPES = 200;

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const COMMIT_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

let processRegistry: Registry | undefined;

/** Node.js process figures (CPU, memory, event loop, GC): one set per process, however many applications it builds. */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The service's Prometheus metrics, one registry per application. Labels take values from closed sets only:
 * route patterns (never raw URLs), known methods, status codes, aggregate and command type names, processor
 * names. Figures that a scrape can read (positions, lag, parked events) are read then, not tracked.
 */
@Injectable()
export class Metrics implements CommandObserver, OnModuleInit {
  readonly registry = new Registry();
  private readonly commandTypes = new Set<string>();

  private readonly httpDuration = new Histogram({
    name: 'escrow_http_request_duration_seconds',
    help: 'Time from a request to its answer, by route pattern (unmatched: no route), method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly commands = new Counter({
    name: 'escrow_commands_total',
    help: 'Commands run by the command executor, by aggregate, command type and outcome (appended, unchanged, replayed, refused_4xx, failed_5xx)',
    labelNames: ['aggregate', 'type', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly commandDuration = new Histogram({
    name: 'escrow_command_duration_seconds',
    help: 'Time a command takes in the executor (read, decide, append, retries), by aggregate',
    labelNames: ['aggregate'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly commitAppends = new Histogram({
    name: 'escrow_store_commit_batch_appends',
    help: 'Appends carried by one group commit of the embedded store',
    buckets: BATCH_SIZE_BUCKETS,
    registers: [this.registry],
  });

  private readonly commitEvents = new Histogram({
    name: 'escrow_store_commit_batch_events',
    help: 'Events written by one group commit of the embedded store',
    buckets: BATCH_SIZE_BUCKETS,
    registers: [this.registry],
  });

  private readonly commitDuration = new Histogram({
    name: 'escrow_store_commit_duration_seconds',
    help: 'Duration of one group commit of the embedded store (the transaction and its fsync)',
    buckets: COMMIT_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly commitFailures = new Counter({
    name: 'escrow_store_commit_failures_total',
    help: 'Group commits of the embedded store that failed as a whole (full disk, I/O error); their commands answered 503',
    registers: [this.registry],
  });

  private readonly idempotentReplays = new Counter({
    name: 'escrow_idempotent_replays_total',
    help: 'Responses given again to a retried Idempotency-Key (Idempotent-Replayed: true), by route pattern',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  private readonly sseReaders = new Gauge({
    name: 'escrow_sse_readers',
    help: 'Readers connected to the event stream (Server-Sent Events) right now',
    registers: [this.registry],
  });

  private readonly inFlight = new Gauge({
    name: 'escrow_http_requests_in_flight',
    help: 'Requests received and not answered yet',
    registers: [this.registry],
  });

  private readonly notaryMismatches = new Gauge({
    name: 'escrow_notary_tampered_positions',
    help: 'Positions the last tamper check found changed: events that no longer hash to their notarised leaf (log), or leaves off the signed tree (tree); 0 when intact',
    labelNames: ['found_in'] as const,
    registers: [this.registry],
  });

  private readonly notaryChecked = new Gauge({
    name: 'escrow_notary_last_check_timestamp_seconds',
    help: 'When the notary last compared the log with its tree (Unix time)',
    registers: [this.registry],
  });

  private readonly notaryHeads = new Counter({
    name: 'escrow_notary_tree_heads_published_total',
    help: 'Signed tree heads this process published',
    registers: [this.registry],
  });

  private readonly notaryFailures = new Counter({
    name: 'escrow_notary_failures_total',
    help: 'Reads of the log or pages of the notary that failed (full disk, I/O error); each is retried with back-off, nothing is skipped',
    registers: [this.registry],
  });

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime,
  ) {
    processMetrics();
  }

  onModuleInit(): void {
    this.store.observeCommits?.((report) => {
      if (!report.committed) return this.commitFailures.inc();
      this.commitAppends.observe(report.appends);
      this.commitEvents.observe(report.events);
      this.commitDuration.observe(report.durationMs / 1000);
    });
    const runtime = this.runtime;
    const store = this.store;
    /** Every processor this process knows of with its position: read at each scrape, never tracked. */
    const processors = async () => [
      ...(await runtime.status().catch(() => [])).map(({ name, position }) => ({ labels: { processor: name, kind: 'projection' }, position })),
      ...safely(() => runtime.reactorStatus(), []).map(({ name, position }) => ({ labels: { processor: name, kind: 'reactor' }, position })),
    ];
    const headPosition = () => store.headPosition().catch(() => undefined);
    new Gauge({
      name: 'escrow_store_head_position',
      help: 'Position of the last event in the log',
      registers: [this.registry],
      async collect() {
        this.reset();
        const head = await headPosition();
        if (head !== undefined) this.set(head);
      },
    });
    new Gauge({
      name: 'escrow_processor_position',
      help: 'Last position of the log a processor (kind projection or reactor) has handled',
      labelNames: ['processor', 'kind'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { labels, position } of await processors()) this.set(labels, position);
      },
    });
    new Gauge({
      name: 'escrow_processor_lag_events',
      help: 'Events of the log a processor has not handled yet: the head position minus its position',
      labelNames: ['processor', 'kind'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const head = await headPosition();
        if (head === undefined) return;
        for (const { labels, position } of await processors()) this.set(labels, Math.max(0, head - position));
      },
    });
    new Gauge({
      name: 'escrow_parked_events',
      help: 'Events a reactor refused for good and parked, waiting for support, by reactor',
      labelNames: ['reactor'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const reactor of safely(() => runtime.reactorStatus(), [])) this.set({ reactor: reactor.name }, reactor.parked);
      },
    });
  }

  /** The Prometheus text exposition of every metric, the process's included. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    const merged = Registry.merge([processMetrics(), this.registry]);
    return { contentType: this.registry.contentType, text: await merged.metrics() };
  }

  /** The notary reports each tamper check. */
  setNotaryIntegrity(check: { checkedAt: string; mismatchingPositions: readonly number[]; treeMismatchingPositions: readonly number[] }): void {
    this.notaryMismatches.set({ found_in: 'log' }, check.mismatchingPositions.length);
    this.notaryMismatches.set({ found_in: 'tree' }, check.treeMismatchingPositions.length);
    this.notaryChecked.set(Date.parse(check.checkedAt) / 1000);
  }

  /** The notary running in this process: its figures are read at each scrape, its heads and failures counted as they happen. */
  watchNotary(notary: NotaryFigures): void {
    new Gauge({
      name: 'escrow_notary_tree_size',
      help: 'Events the notary has notarised (leaves of its tree)',
      registers: [this.registry],
      collect() {
        this.reset();
        const status = safely(() => notary.status(), undefined);
        if (status !== undefined) this.set(status.treeSize);
      },
    });
    new Gauge({
      name: 'escrow_notary_head_tree_size',
      help: 'Size of the latest signed tree head (0 before the first)',
      registers: [this.registry],
      collect() {
        this.reset();
        const status = safely(() => notary.status(), undefined);
        if (status !== undefined) this.set(status.headTreeSize);
      },
    });
    const lag = () => notary.lag().catch(() => undefined);
    new Gauge({
      name: 'escrow_notary_lag_events',
      help: 'Events of the log the notary has not notarised yet: the head position minus its position',
      registers: [this.registry],
      async collect() {
        this.reset();
        const figures = await lag();
        if (figures !== undefined) this.set(figures.events);
      },
    });
    new Gauge({
      name: 'escrow_notary_lag_seconds',
      help: 'How long ago the oldest event not notarised yet was recorded (0 when every event is notarised)',
      registers: [this.registry],
      async collect() {
        this.reset();
        const figures = await lag();
        if (figures !== undefined) this.set(figures.seconds);
      },
    });
    new Gauge({
      name: 'escrow_notary_unsigned_seconds',
      help: 'How long ago the oldest event no signed tree head covers yet was recorded (0 when the latest head covers the whole log)',
      registers: [this.registry],
      async collect() {
        this.reset();
        const figures = await lag();
        if (figures !== undefined) this.set(figures.unsignedSeconds);
      },
    });
  }

  notaryPublishedHead(): void {
    this.notaryHeads.inc();
  }

  notaryFailed(): void {
    this.notaryFailures.inc();
  }

  /** The event stream sets how many readers it holds. */
  setSseReaders(count: number): void {
    this.sseReaders.set(count);
  }

  requestStarted(): void {
    this.inFlight.inc();
  }

  requestEnded(): void {
    this.inFlight.dec();
  }

  requestAnswered(answer: { method: string; route: string | undefined; status: number; seconds: number; replayed: boolean }): void {
    const route = answer.route ?? 'unmatched';
    const method = KNOWN_METHODS.has(answer.method) ? answer.method : 'OTHER';
    this.httpDuration.observe({ method, route, status: String(answer.status) }, answer.seconds);
    if (answer.replayed) this.idempotentReplays.inc({ route });
  }

  observe(aggregate: string, command: unknown, outcome: Promise<{ kind: 'appended' | 'unchanged' | 'replayed' }>): void {
    const stop = this.commandDuration.startTimer({ aggregate });
    let type = commandTypeOf(command);
    if (!this.commandTypes.has(type)) {
      if (this.commandTypes.size >= MAX_COMMAND_TYPES) type = 'other';
      else this.commandTypes.add(type);
    }
    const count = (label: CommandOutcomeLabel) => {
      stop();
      this.commands.inc({ aggregate, type, outcome: label });
    };
    outcome.then(
      (result) => count(result.kind),
      (error: unknown) => count(outcomeOfError(error)),
    );
  }
}

/** What the metrics read of the notary running in this process. */
export interface NotaryFigures {
  status(): { treeSize: number; headTreeSize: number } | undefined;
  /** How far it trails the log; undefined where no notary runs. */
  lag(): Promise<{ events: number; seconds: number; unsignedSeconds: number } | undefined>;
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    // Not started yet, or closing: the figures are simply absent from this scrape.
    return fallback;
  }
}
