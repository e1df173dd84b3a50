/**
 * End-to-end benchmark of the service. Prints ONE JSON object on stdout; progress goes to stderr.
 *
 *   npm run bench -- [--duration S] [--concurrency N] [--events N] [--quick] [--profile]
 *                    [--milestones N] [--lag-sample F] [--baseline-duration S]
 *                    [--no-idempotency-keys] [--projections-off] [--baselines-first]
 *
 * 1. Builds the service when dist/ is missing or older than the sources.
 * 2. With --events N, writes N realistic contract events into a fresh store first (big batches, straight
 *    through the adapter), so that the service is measured with a log of that size.
 * 3. Starts the service as a child process on 127.0.0.1, a free port and a temporary DATA_DIR, waits for
 *    its projections to catch up, then drives it from a separate driver process: `concurrency` contracts
 *    at a time, each walking offer → accept → prepay → deliver → inspect → payout.
 *    Meanwhile a probe follows events from their append until /metrics shows them notarised and covered by a
 *    signed tree head (notary-lag-probe.ts).
 *    Its lag probe opens its connections during warm-up, so that the lag is measured over keep-alive reads.
 *    Over the measured window: the service's event-loop delay (a preload in it) and the CPU of each of its threads.
 * 4. Stops the service and rebuilds every projection from zero over the log it wrote (with --events, over
 *    the generated log instead, before the service starts, which also brings its read models up to date).
 * 5. Drives the two baselines of baseline-server.ts the same way, with the same walk: NestJS + Fastify +
 *    class-validator with one durable SQLite insert per request, and the same app with no storage
 *    (before the service with --baselines-first, so that rounds can alternate the order on a machine whose load drifts).
 *
 * Every child process and temporary folder goes away when the run ends, fails or is interrupted; the
 * service runs under `timeout` so that it cannot outlive a benchmark that was killed outright.
 */

import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import { numberOption, parseOptions } from './args';
import { ensureServiceBuilt } from './build';
import { CpuProfileSummary, summariseCpuProfile } from './cpu-profile-summary';
import { generateContractEvents, REACTORS_COVERED_BY_GENERATED_LOG } from './event-log';
import { KeepAliveClient } from './http-client';
import { NotaryLagMeasurement, NotaryLagProbe } from './notary-lag-probe';
import { discoverProjections, headPosition, ProjectionsAvailability, waitForProjections } from './projections-probe';
import { startService, waitUntilHealthy } from './service-under-test';
import { DriverRun, HOST, REQUEST_TIMEOUT_MS, runBaseline, runDriver, runRebuild } from './measured-runs';
import { installCleanup, makeTemporaryFolder, procStatusKb, resetPeakRss, stopChild } from './processes';
import type { RebuildMeasurement } from './rebuild';
import { twoDecimals } from './stats';

/** Reads name an actor like commands do; the auditor reads everything. */
const BENCH_READER = { 'x-actor-id': 'bench-auditor', 'x-actor-role': 'auditor' };

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

interface Settings {
  quick: boolean;
  warmupMs: number;
  durationMs: number;
  baselineDurationMs: number;
  concurrency: number;
  events: number;
  milestones: number;
  lagSampleRate: number;
  idempotencyKeys: boolean;
  /** Runs the service with PROJECTIONS=off, to tell the projections' share of the command path. */
  projectionsOff: boolean;
  profile: boolean;
  baselinesFirst: boolean;
}

function readSettings(argv: readonly string[]): Settings {
  const options = parseOptions(argv, {
    flags: ['quick', 'profile', 'no-idempotency-keys', 'projections-off', 'baselines-first'],
    values: ['duration', 'concurrency', 'events', 'milestones', 'lag-sample', 'baseline-duration'],
  });
  const quick = options.flags.has('quick');
  const durationMs = numberOption(options, 'duration', quick ? 8 : 20, { min: 1, max: 600 }) * 1000;
  return {
    quick,
    warmupMs: quick ? 1500 : 3000,
    durationMs,
    baselineDurationMs: numberOption(options, 'baseline-duration', quick ? 5 : Math.min(20, durationMs / 1000), { min: 1, max: 600 }) * 1000,
    concurrency: numberOption(options, 'concurrency', 64, { min: 1, max: 2048, integer: true }),
    events: numberOption(options, 'events', 0, { min: 0, max: 20_000_000, integer: true }),
    milestones: numberOption(options, 'milestones', 3, { min: 1, max: 20, integer: true }),
    lagSampleRate: numberOption(options, 'lag-sample', 0.05, { min: 0, max: 1 }),
    idempotencyKeys: !options.flags.has('no-idempotency-keys'),
    projectionsOff: options.flags.has('projections-off'),
    profile: options.flags.has('profile'),
    baselinesFirst: options.flags.has('baselines-first'),
  };
}

// ── the run ─────────────────────────────────────────────────────────────────────────────────────

/** Above this much CPU used by processes other than the measured server and its driver, the figures are flagged. */
const OTHER_WORK_WARNING_CORES = 0.25;

const otherWorkCores = (run: DriverRun): number | null =>
  run.machineCpuCores === null || run.targetCpuCores === null ? null : twoDecimals(run.machineCpuCores - run.targetCpuCores - run.result.driverCpuCores);

const megabytes = (kb: number | null) => (kb === null ? null : twoDecimals(kb / 1024));

const fileSize = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/** `ratio` is the service's commands per second over the baseline's requests per second. */
const baselineFigures = (commandsPerSecond: number, run: DriverRun) => ({
  requestsPerSecond: run.result.requestsPerSecond,
  ratio: run.result.requestsPerSecond > 0 ? twoDecimals(commandsPerSecond / run.result.requestsPerSecond) : null,
});

const baselineDetails = (run: DriverRun) => ({
  latencyMs: run.result.latencyMs,
  completed: run.result.completed,
  lifecyclesCompleted: run.result.lifecyclesCompleted,
  failures: run.result.failures,
  threadsCpuCores: run.targetThreadsCpuCores,
});

/** The main thread's event-loop delay over the measured window, as the service's preload wrote it. */
interface EventLoopDelay {
  resolutionMs: number;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

async function readEventLoopDelay(file: string): Promise<EventLoopDelay | null> {
  const deadline = Date.now() + 5_000;
  while (!existsSync(file) && Date.now() < deadline) await sleep(50);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as EventLoopDelay) : null;
}

async function main(): Promise<void> {
  installCleanup();
  const settings = readSettings(process.argv.slice(2));
  const startedAt = performance.now();
  const loadAverageAtStart = loadavg();
  const built = ensureServiceBuilt(log);

  const folder = makeTemporaryFolder('escrow-bench-');
  const dataDir = join(folder, 'data');
  mkdirSync(dataDir);
  const storeFile = join(dataDir, 'events.sqlite');

  const readModelFile = join(dataDir, 'read-models.sqlite');
  let generatedLog = null;
  let rebuild: RebuildMeasurement | undefined;
  if (settings.events > 0) {
    log(`writing ${settings.events} realistic contract events into a fresh store`);
    const store = SqliteEventStore.open({ file: storeFile });
    try {
      const generated = await generateContractEvents(store, settings.events, { onProgress: (events) => log(`  ${events} events`) });
      generatedLog = { events: generated.events, contracts: generated.contracts, seconds: twoDecimals(generated.seconds) };
    } finally {
      await store.close();
    }
    // Rebuilding the read models over the generated log is the rebuild measurement, and it leaves the
    // service a store whose projections and credit process are up to date, as in steady operation.
    log('rebuilding every projection from zero over the generated log');
    rebuild = await runRebuild(storeFile, readModelFile, 120_000 + settings.events / 5, REACTORS_COVERED_BY_GENERATED_LOG);
  }

  // Generous, yet bounded: start-up with a large log includes the projections' catch-up.
  const catchUpAllowanceMs = 60_000 + settings.events / 10;
  const serviceLifetime = (catchUpAllowanceMs + settings.warmupMs + settings.durationMs) / 1000 + 120;
  const runBaselines = async () => {
    log(`baseline: NestJS + Fastify + class-validator, one durable SQLite insert per request, ${settings.baselineDurationMs / 1000} s`);
    const durable = await runBaseline(folder, settings, 'durable');
    log(`baseline: the same with no storage, ${settings.baselineDurationMs / 1000} s`);
    return { durable, noStorage: await runBaseline(folder, settings, 'none') };
  };
  const baselinesBefore = settings.baselinesFirst ? await runBaselines() : undefined;

  log('starting the service');
  const service = await startService(folder, dataDir, serviceLifetime, settings);
  const client = new KeepAliveClient(HOST, service.port, 4, REQUEST_TIMEOUT_MS);
  const auth = { authorization: `Bearer ${service.token}`, ...BENCH_READER };
  const unavailable: Record<string, string> = {};

  let load: DriverRun;
  let eventsInStore: number;
  let peakRssKb: number | null;
  let rssAtStartKb: number | null = null;
  /** Start-up includes the projections' catch-up over a preloaded log, which has its own peak. */
  let peakAtStartKb: number | null = null;
  let rssAtEndKb: number | null = null;
  /** The peak before the load (start-up, catch-up) and whether the peak was then reset, so that `peakRssKb` is the load's own. */
  let peakBeforeLoadKb: number | null = null;
  let peakResetBeforeLoad = false;
  let catchUpSeconds: number | null = null;
  let projections: ProjectionsAvailability;
  let cpuProfile: CpuProfileSummary | null = null;
  /** process.memoryUsage() of the service at the end of the measured window (with --profile only). */
  let memoryUsageMb: Record<string, number> | null = null;
  // Its own connection, so that its scrapes never wait behind the other reads.
  const notaryClient = new KeepAliveClient(HOST, service.port, 1, REQUEST_TIMEOUT_MS);
  const notaryProbe = new NotaryLagProbe(notaryClient, auth);
  let notaryLag: NotaryLagMeasurement | null = null;
  let eventLoopDelayMs: EventLoopDelay | null = null;
  try {
    await waitUntilHealthy(client, service, catchUpAllowanceMs);
    rssAtStartKb = procStatusKb(service.pid, 'VmRSS');
    peakAtStartKb = procStatusKb(service.pid, 'VmHWM');
    projections = await discoverProjections(client, auth);
    if (settings.projectionsOff) projections = { statusAvailable: false, probe: null, lagUnavailable: 'the service ran with PROJECTIONS=off' };
    if (projections.statusAvailable) catchUpSeconds = await waitForProjections(client, auth, catchUpAllowanceMs);
    if (projections.lagUnavailable) unavailable.projectionLagMs = projections.lagUnavailable;
    if (settings.lagSampleRate === 0) unavailable.projectionLagMs = '--lag-sample 0';
    // Opened now, so that the notary probe's first scrape in the measured window opens no connection either.
    await notaryClient.openConnections('/health');
    peakBeforeLoadKb = procStatusKb(service.pid, 'VmHWM');
    peakResetBeforeLoad = resetPeakRss(service.pid);
    if (!peakResetBeforeLoad) unavailable.peakRssUnderLoad = 'the peak RSS could not be reset before the load: peakRssMb includes start-up';

    log(`driving ${settings.concurrency} concurrent contract lifecycles for ${settings.warmupMs / 1000} s warm-up + ${settings.durationMs / 1000} s`);
    load = await runDriver(
      {
        host: HOST,
        port: service.port,
        warmupMs: settings.warmupMs,
        durationMs: settings.durationMs,
        concurrency: settings.concurrency,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        token: service.token,
        load: {
          kind: 'lifecycle',
          milestones: settings.milestones,
          idempotencyKeys: settings.idempotencyKeys,
          lagProbe: settings.lagSampleRate > 0 ? projections.probe : null,
          lagSampleRate: settings.lagSampleRate,
        },
      },
      service.pid,
      (mark) => {
        if (mark === 'window-start') notaryProbe.start();
        service.wrapper.stdin?.write(`${mark}\n`);
        if (service.profileFile) service.wrapper.stdin?.write(mark === 'window-start' ? 'start-profile\n' : 'stop-profile\n');
      },
    );
    notaryLag = await notaryProbe.stop();
    eventLoopDelayMs = await readEventLoopDelay(service.eventLoopDelayFile);
    if (eventLoopDelayMs === null) unavailable.eventLoopDelayMs = 'the service wrote no event-loop delay figures';
    rssAtEndKb = procStatusKb(service.pid, 'VmRSS');
    eventsInStore = await headPosition(client, auth);
    peakRssKb = procStatusKb(service.pid, 'VmHWM');

    if (service.profileFile) {
      const deadline = Date.now() + 30_000;
      while (!existsSync(service.profileFile) && Date.now() < deadline) await sleep(100);
      if (existsSync(service.profileFile)) {
        const kept = join(tmpdir(), `escrow-bench-service-${Date.now()}.cpuprofile`);
        copyFileSync(service.profileFile, kept);
        cpuProfile = summariseCpuProfile(kept);
      }
      if (existsSync(`${service.profileFile}.memory.json`)) {
        const usage = JSON.parse(readFileSync(`${service.profileFile}.memory.json`, 'utf8')) as Record<string, number>;
        memoryUsageMb = Object.fromEntries(Object.entries(usage).map(([name, bytes]) => [name, twoDecimals(bytes / 1024 / 1024)]));
      }
    }
  } finally {
    client.close();
    await notaryProbe.stop();
    notaryClient.close();
    log('stopping the service');
    await stopChild(service.wrapper, 15_000);
  }

  const storeBytes = fileSize(storeFile) + fileSize(`${storeFile}-wal`);

  if (rebuild === undefined) {
    log('rebuilding every projection from zero over the log');
    rebuild = await runRebuild(storeFile, readModelFile, 120_000 + eventsInStore / 5);
  }
  if (!rebuild.available) unavailable.rebuildEventsPerSecond = rebuild.reason;

  const { durable: durableBaseline, noStorage: noStorageBaseline } = baselinesBefore ?? (await runBaselines());

  const warnings: string[] = [];
  const runs = [
    ['the service', load],
    ['the durable-insert baseline', durableBaseline],
    ['the no-storage baseline', noStorageBaseline],
  ] as const;
  for (const [what, run] of runs) {
    const others = otherWorkCores(run);
    if (others !== null && others > OTHER_WORK_WARNING_CORES) {
      warnings.push(`while ${what} was measured, other processes kept ${others} of ${cpus().length} cores busy: its figures are low`);
    }
  }
  const commands = load.result;
  const lag = commands.lag;
  if (lag && lag.latencyMs === null) unavailable.projectionLagMs = `no minPosition read answered (failures: ${JSON.stringify(lag.failures)})`;
  const result = {
    commandsPerSecond: commands.requestsPerSecond,
    latencyMs: commands.latencyMs,
    projectionLagMs: lag?.latencyMs ? { p50: lag.latencyMs.p50, p95: lag.latencyMs.p95, p99: lag.latencyMs.p99, max: lag.latencyMs.max, onNewConnection: lag.onNewConnection } : null,
    notaryLagMs: notaryLag ? { notarised: notaryLag.notarisedMs, coveredBySignedHead: notaryLag.signedMs } : null,
    rebuildEventsPerSecond: rebuild.available ? rebuild.eventsPerSecond : null,
    rebuild: rebuild.available ? { events: rebuild.eventsRead, eventsPerSecond: rebuild.eventsPerSecond, peakRssMb: rebuild.peakRssMb } : null,
    peakRssMb: megabytes(peakRssKb),
    rssAtRestMb: megabytes(rssAtStartKb),
    eventLoopDelayMs,
    serviceThreadsCpuCores: load.targetThreadsCpuCores,
    bytesPerEvent: eventsInStore > 0 ? twoDecimals(storeBytes / eventsInStore) : null,
    baselines: {
      nestDurableInsert: baselineFigures(commands.requestsPerSecond, durableBaseline),
      nestNoStorage: baselineFigures(commands.requestsPerSecond, noStorageBaseline),
    },
    unavailable,
    warnings,
    details: {
      settings: { ...settings, host: HOST, builtBeforeRun: built },
      commands: {
        measuredSeconds: commands.measuredSeconds,
        completed: commands.completed,
        lifecyclesCompleted: commands.lifecyclesCompleted,
        byCommand: commands.byCommand,
        failures: commands.failures,
      },
      projectionLag: lag
        ? { route: projections.probe?.pathTemplate ?? null, samples: lag.samples, plainReadLatencyMs: lag.plainReadLatencyMs, failures: lag.failures, skipped: lag.skipped }
        : null,
      projectionsCatchUpSeconds: catchUpSeconds,
      notaryLag,
      rebuild,
      memoryMb: {
        rssWhenHealthy: megabytes(rssAtStartKb),
        peakWhenHealthy: megabytes(peakAtStartKb),
        peakBeforeLoad: megabytes(peakBeforeLoadKb),
        rssAfterLoad: megabytes(rssAtEndKb),
        peakUnderLoad: peakResetBeforeLoad ? megabytes(peakRssKb) : null,
        peak: megabytes(Math.max(peakRssKb ?? 0, peakBeforeLoadKb ?? 0)),
        processMemoryUsage: memoryUsageMb,
      },
      cpuCores: {
        service: load.targetCpuCores,
        driver: commands.driverCpuCores,
        machine: load.machineCpuCores,
        nestDurableInsertServer: durableBaseline.targetCpuCores,
        nestDurableInsertDriver: durableBaseline.result.driverCpuCores,
        nestDurableInsertMachine: durableBaseline.machineCpuCores,
        nestNoStorageServer: noStorageBaseline.targetCpuCores,
        nestNoStorageDriver: noStorageBaseline.result.driverCpuCores,
        nestNoStorageMachine: noStorageBaseline.machineCpuCores,
      },
      store: { eventsInStore, storeBytes, generatedLog },
      baselines: {
        nestDurableInsert: baselineDetails(durableBaseline),
        nestNoStorage: baselineDetails(noStorageBaseline),
      },
      cpuProfile,
      // Other work on the machine skews every figure: the load average tells whether there was any.
      machine: { cpus: cpus().length, loadAverageAtStart: loadAverageAtStart.map(twoDecimals), loadAverageAtEnd: loadavg().map(twoDecimals) },
      wallSeconds: twoDecimals((performance.now() - startedAt) / 1000),
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
