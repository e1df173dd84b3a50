import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { CLOCK, Clock } from '@escrow/clock';
import { EVENT_STORE, EventStore, EventStoreUnavailableError } from '@escrow/event-store/port';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Metrics } from '../../observability/metrics';
import { ProjectionRuntime } from '../../projections/projection-runtime';
import { foundTampering, IntegrityCheck, NotaryDatabase, notaryDatabaseFile } from './notary-database';
import { NotaryProcessor, NotaryStatus } from './notary-processor';
import { loadSigningKey, NotarySigningKey } from './signing-key';
import { checkNotarisedEvents } from './tamper-check';
import { TamperedRebuild, tamperedRebuildOf } from './tampered-rebuild';

/** What the service knows of the log's integrity: the last tamper check, and a rebuild made over a tampered log. */
export interface IntegrityReport {
  lastCheck: IntegrityCheck | undefined;
  tamperedRebuild: TamperedRebuild | undefined;
}

/**
 * The notary of this process. Where the processors run (ROLE=all|processors) it keeps the tree, publishes the
 * heads and runs the tamper checks (at start, then every AUDIT_VERIFY_INTERVAL_MS); with ROLE=api it only reads
 * notary.sqlite, which the processors' process writes.
 */
@Injectable()
export class NotaryService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Notary');
  private db: NotaryDatabase | undefined;
  private processor: NotaryProcessor | undefined;
  private key: NotarySigningKey | undefined;
  private verifyTimer: NodeJS.Timeout | undefined;
  private checking: Promise<IntegrityCheck | undefined> = Promise.resolve(undefined);
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(Metrics) private readonly metrics?: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role === 'api') return;
    this.metrics?.watchNotary({ status: () => this.status(), lag: () => this.lag() });
    try {
      await this.start();
    } catch (error) {
      if (!(error instanceof EventStoreUnavailableError)) throw error;
      // EventStoreDB still coming up: the service starts, and the notary once the store answers.
      this.logger.warn(`The event store did not answer at start; the notary starts once it does: ${error.message}`);
      this.retryStart(1);
    }
  }

  private retryStart(attempt: number): void {
    const timer = setTimeout(() => {
      if (this.stopped) return;
      this.start().catch((error: unknown) => {
        if (error instanceof EventStoreUnavailableError) return this.retryStart(attempt + 1);
        this.logger.error(`The notary cannot start: ${error instanceof Error ? error.message : String(error)}`);
      });
    }, Math.min(30_000, 250 * 2 ** attempt));
    timer.unref();
  }

  private async start(): Promise<void> {
    const storeId = await this.store.storeId();
    const headPosition = await this.store.headPosition();
    const db = (this.db ??= NotaryDatabase.open(notaryDatabaseFile(this.config.dataDir)));
    db.bindToStore(storeId, this.clock.now().toISOString(), headPosition);
    const settings = this.config.audit;
    this.key = loadSigningKey(settings.signingKey, this.config.dataDir, this.logger);
    this.processor = new NotaryProcessor({
      db,
      store: this.store,
      key: this.key,
      treeHeadEveryEvents: settings.treeHeadEveryEvents,
      treeHeadMaxDelayMs: settings.treeHeadMaxDelayMs,
      clock: () => this.clock.now(),
      onFailure: (error, failures) => {
        this.metrics?.notaryFailed();
        this.logger.error(`Notarising the log failed (${failures} in a row); the same page is retried: ${error instanceof Error ? error.message : String(error)}`);
      },
      onHead: () => this.metrics?.notaryPublishedHead(),
    });
    this.runtime.onLogGrew(() => this.processor?.wake());
    await this.verify();
    this.processor.start();
    this.verifyTimer = setInterval(() => void this.verify(), settings.verifyIntervalMs);
    this.verifyTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.verifyTimer !== undefined) clearInterval(this.verifyTimer);
    await this.processor?.stop();
    await this.checking;
  }

  onApplicationShutdown(): void {
    this.db?.close();
    this.db = undefined;
  }

  /** The notary's file: this process's own, or (ROLE=api) opened read-only once the processors' process has created it. */
  database(): NotaryDatabase | undefined {
    if (this.db !== undefined || this.stopped) return this.db;
    const file = notaryDatabaseFile(this.config.dataDir);
    if (this.config.role !== 'api' || !existsSync(file)) return undefined;
    try {
      this.db = NotaryDatabase.openReadOnly(file);
    } catch (error) {
      this.logger.warn(`${file} cannot be read yet: ${error instanceof Error ? error.message : String(error)}`);
    }
    return this.db;
  }

  /** The notary running here; undefined with ROLE=api. */
  status(): NotaryStatus | undefined {
    return this.processor?.status();
  }

  /**
   * How far the notary trails the log: events not notarised yet, and how long ago the oldest of them, and the oldest
   * event no signed head covers, were recorded (0 when there is none). Undefined where no notary runs.
   */
  async lag(): Promise<{ events: number; seconds: number; unsignedSeconds: number } | undefined> {
    const status = this.status();
    const db = this.db;
    if (status === undefined || db === undefined || !db.db.open) return undefined;
    const headPosition = await this.store.headPosition();
    const ageOfEventAfter = async (position: number) => {
      if (position >= headPosition) return 0;
      const [event] = await this.store.readAll({ after: position, maxCount: 1 });
      return event === undefined ? 0 : Math.max(0, (this.clock.now().getTime() - Date.parse(event.recordedAt)) / 1000);
    };
    const headLastPosition = db.latestHead()?.lastPosition ?? 0;
    return {
      events: Math.max(0, headPosition - status.lastPosition),
      seconds: await ageOfEventAfter(status.lastPosition),
      unsignedSeconds: await ageOfEventAfter(headLastPosition),
    };
  }

  /** The key this process signs with (its public half); undefined with ROLE=api. */
  signingKey(): Pick<NotarySigningKey, 'keyId' | 'publicKeyPem'> | undefined {
    return this.key === undefined ? undefined : { keyId: this.key.keyId, publicKeyPem: this.key.publicKeyPem };
  }

  integrity(): IntegrityReport {
    // Both files close at shutdown, while readiness may still be asked.
    return { lastCheck: this.database()?.latestCheck(), tamperedRebuild: this.runtime.db.open ? tamperedRebuildOf(this.runtime.db) : undefined };
  }

  /** Runs a tamper check now (one at a time), records it, and acts on what it found. */
  verify(): Promise<IntegrityCheck | undefined> {
    this.checking = this.checking.then(() => this.runCheck()).catch((error: unknown) => {
      this.logger.error(`The tamper check could not run; it runs again at the next interval: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    return this.checking;
  }

  private async runCheck(): Promise<IntegrityCheck | undefined> {
    const db = this.db;
    if (db === undefined || this.stopped) return undefined;
    const settings = this.config.audit;
    const check = await checkNotarisedEvents(db, this.store, {
      recent: settings.verifyRecent,
      sample: settings.verifySample,
      origin: 'service',
      now: () => this.clock.now(),
    });
    db.recordCheck(check);
    this.metrics?.setNotaryIntegrity(check);
    if (foundTampering(check)) {
      const reason =
        `the log does not match what was notarised: positions ${check.mismatchingPositions.join(', ') || 'none'} changed in the log, ` +
        `positions ${check.treeMismatchingPositions.join(', ') || 'none'} off the signed tree${check.problems.length > 0 ? `; ${check.problems.join('; ')}` : ''}`;
      this.processor?.halt(reason);
      this.logger.error(`Tamper check failed: ${reason}. No tree head is published until this is resolved (see docs/audit.md, "Tamper checks").`);
    }
    return check;
  }
}
