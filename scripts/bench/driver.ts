/**
 * The load generator, run as its own process so that its CPU is accounted apart from the service's.
 * It receives a DriverConfig as JSON in argv[2], runs `concurrency` closed-loop workers for the warm-up
 * plus the measured window, and prints one DriverResult as JSON on stdout.
 *
 * `lifecycle`: each worker walks contracts through offer → accept → prepay → deliver → inspect → payout
 * (the ids come from earlier answers, hence a driver of its own rather than a replaying load tool).
 * The baselines (baseline-server.ts) answer the same routes, so they are driven by the very same walk.
 */

import { randomUUID } from 'node:crypto';
import { HttpResponse, KeepAliveClient } from './http-client';
import { nowMs, Percentiles, SampleRecorder, twoDecimals } from './stats';

export interface LagProbe {
  /** GET path whose `{name}` placeholders are filled from the contract; `minPosition` is added as a query parameter. */
  pathTemplate: string;
}

export interface LifecycleLoad {
  kind: 'lifecycle';
  milestones: number;
  idempotencyKeys: boolean;
  lagProbe: LagProbe | null;
  /** Fraction of successful commands followed by a read-your-write probe. */
  lagSampleRate: number;
}

export interface DriverConfig {
  host: string;
  port: number;
  warmupMs: number;
  durationMs: number;
  concurrency: number;
  requestTimeoutMs: number;
  /** Bearer token sent with every request, when the service requires one. */
  token: string | null;
  load: LifecycleLoad;
}

export interface LagResult {
  samples: number;
  latencyMs: Percentiles | null;
  /**
   * The same read without minPosition, sent at the same moment: what any read costs under this load
   * (queueing behind the commands on the service's event loop), the floor under the lag figures.
   */
  plainReadLatencyMs: Percentiles | null;
  /** Probes that answered with something other than 2xx, or not at all. */
  failures: Record<string, number>;
  /** Sampled commands left unprobed because too many probes were already in flight. */
  skipped: number;
  /**
   * Probe reads that had to open a new TCP connection, left out of both figures: the probe opens its
   * connections during warm-up so that the lag measures keep-alive reads only, and this should stay 0.
   */
  onNewConnection: number;
}

export interface DriverResult {
  measuredSeconds: number;
  /** Successful requests completed inside the measured window. */
  completed: number;
  requestsPerSecond: number;
  latencyMs: Percentiles | null;
  byCommand: Record<string, { count: number; latencyMs: Percentiles | null }>;
  /** Unexpected answers and transport errors, keyed by "status CODE" or error name, over the whole run. */
  failures: Record<string, number>;
  lifecyclesCompleted: number | null;
  lag: LagResult | null;
  /** CPU the driver itself used in the measured window, in cores (1.0 = one core busy). */
  driverCpuCores: number;
}

/** Reads in flight for lag measurement at most (two per sampled command). */
const MAX_PROBES_IN_FLIGHT = 64;
/** Ex-tax amounts that give round grosses at 10% (¥50,000 / ¥30,000). */
const MILESTONE_AMOUNTS = [45_455, 27_273, 45_455, 9_091];
const SHA256_OF_A_DELIVERABLE = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

interface Actor {
  id: string;
  role: 'user' | 'support' | 'system' | 'auditor';
}

class CommandRefused extends Error {}

class Window {
  readonly warmupEnd: number;
  readonly end: number;
  constructor(start: number, config: DriverConfig) {
    this.warmupEnd = start + config.warmupMs;
    this.end = this.warmupEnd + config.durationMs;
  }
  contains(at: number): boolean {
    return at >= this.warmupEnd && at <= this.end;
  }
  over(): boolean {
    return nowMs() >= this.end;
  }
}

class Load {
  private readonly client: KeepAliveClient;
  private readonly probeClient: KeepAliveClient;
  readonly latency = new SampleRecorder();
  private readonly latencyByCommand = new Map<string, SampleRecorder>();
  readonly failures: Record<string, number> = {};
  completed = 0;
  lifecyclesCompleted = 0;
  private readonly lagLatency = new SampleRecorder();
  private readonly plainReadLatency = new SampleRecorder();
  private readonly lagFailures: Record<string, number> = {};
  private lagSkipped = 0;
  private probesOnNewConnection = 0;
  private probesInFlight = new Set<Promise<void>>();
  private readonly runId = randomUUID().slice(0, 8);
  private readonly authorization: Record<string, string>;

  constructor(
    private readonly config: DriverConfig,
    private readonly window: Window,
  ) {
    this.client = new KeepAliveClient(config.host, config.port, config.concurrency, config.requestTimeoutMs);
    this.probeClient = new KeepAliveClient(config.host, config.port, MAX_PROBES_IN_FLIGHT, config.requestTimeoutMs, 'fifo');
    this.authorization = config.token ? { authorization: `Bearer ${config.token}` } : {};
  }

  private countFailure(target: Record<string, number>, key: string): void {
    target[key] = (target[key] ?? 0) + 1;
  }

  /** One timed request; answers other than `expected` are counted and thrown. */
  async timed(command: string, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body: unknown, expected: number): Promise<{ response: HttpResponse; finishedAt: number }> {
    const startedAt = nowMs();
    let response: HttpResponse;
    try {
      response = await this.client.request(method, path, headers, body);
    } catch (error) {
      this.countFailure(this.failures, error instanceof Error ? error.name : 'Error');
      throw new CommandRefused(String(error));
    }
    const finishedAt = nowMs();
    if (response.status !== expected) {
      const code = /"code":"([A-Z_]+)"/.exec(response.body)?.[1] ?? '';
      this.countFailure(this.failures, `${command} ${response.status} ${code}`.trim());
      throw new CommandRefused(`${command}: ${response.status} ${response.body.slice(0, 300)}`);
    }
    if (this.window.contains(finishedAt) && startedAt >= this.window.warmupEnd) {
      const elapsed = finishedAt - startedAt;
      this.completed++;
      this.latency.add(elapsed);
      let perCommand = this.latencyByCommand.get(command);
      if (perCommand === undefined) this.latencyByCommand.set(command, (perCommand = new SampleRecorder()));
      perCommand.add(elapsed);
    }
    return { response, finishedAt };
  }

  async runLifecycleWorker(worker: number, load: LifecycleLoad): Promise<void> {
    for (let contract = 0; !this.window.over(); contract++) {
      try {
        await this.walkContract(`${worker}-${contract}`, load);
        this.lifecyclesCompleted++;
      } catch (error) {
        if (!(error instanceof CommandRefused)) throw error;
        // The contract is abandoned; a brief pause keeps a failing service from being hammered in a tight loop.
        await new Promise((resolvePause) => setTimeout(resolvePause, 5));
      }
    }
  }

  private async walkContract(tag: string, load: LifecycleLoad): Promise<void> {
    const client: Actor = { id: `bench-client-${tag}`, role: 'user' };
    const worker: Actor = { id: `bench-worker-${tag}`, role: 'user' };
    const settlement: Actor = { id: 'settlement', role: 'system' };
    let step = 0;
    let ids: Record<string, string> = {};
    const send = async (command: string, path: string, actor: Actor, body: unknown, expected = 200) => {
      if (this.window.over()) throw new CommandRefused('the measured window is over');
      const headers: Record<string, string> = { ...this.authorization, 'x-actor-id': actor.id, 'x-actor-role': actor.role };
      if (load.idempotencyKeys) headers['idempotency-key'] = `bench-${this.runId}-${tag}-${step++}`;
      const { response, finishedAt } = await this.timed(command, 'POST', path, headers, body, expected);
      const answer = JSON.parse(response.body) as { contractId: string; position: number; milestones: { milestoneId: string }[] };
      if (load.lagProbe && this.window.contains(finishedAt) && Math.random() < load.lagSampleRate) {
        this.probe(load.lagProbe, { ...ids, contractId: answer.contractId }, answer.position, finishedAt);
      }
      return answer;
    };

    const milestones = Array.from({ length: load.milestones }, (_, index) => ({
      title: `Milestone ${index + 1}`,
      amount: MILESTONE_AMOUNTS[index % MILESTONE_AMOUNTS.length],
      dueDate: '2027-03-31',
    }));
    const offered = await send('offer', '/v1/contracts', client, { clientId: client.id, workerId: worker.id, title: `Bench contract ${tag}`, milestones }, 201);
    const contract = `/v1/contracts/${offered.contractId}`;
    const milestoneIds = offered.milestones.map((milestone) => milestone.milestoneId);
    ids = { contractId: offered.contractId, clientId: client.id, workerId: worker.id, userId: client.id, milestoneId: milestoneIds[0] };

    await send('accept', `${contract}/accept`, worker, undefined);
    for (const [index, milestoneId] of milestoneIds.entries()) {
      await send('prepay', `${contract}/milestones/${milestoneId}/prepay`, client, { paymentReference: `pay-${tag}-${index}`, method: 'card' });
    }
    for (const [index, milestoneId] of milestoneIds.entries()) {
      await send('deliver', `${contract}/milestones/${milestoneId}/deliver`, worker, {
        deliverables: [{ uri: `https://files.example.com/${offered.contractId}/${index}.zip`, sha256: SHA256_OF_A_DELIVERABLE }],
      });
    }
    for (const milestoneId of milestoneIds) {
      await send('inspect', `${contract}/milestones/${milestoneId}/inspect`, client, undefined);
      await send('payout', `${contract}/milestones/${milestoneId}/payout`, settlement, undefined);
    }
  }

  /** Time from the command's answer until a read that waits for its position answers. */
  private probe(probe: LagProbe, ids: Record<string, string>, position: number, answeredAt: number): void {
    if (this.probesInFlight.size >= MAX_PROBES_IN_FLIGHT) {
      this.lagSkipped++;
      return;
    }
    const path = probe.pathTemplate.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name] ?? name));
    const separator = path.includes('?') ? '&' : '?';
    const read = (query: string, recorder: SampleRecorder) => {
      const inFlight = this.probeClient
        .request('GET', `${path}${query}`, { ...this.authorization, 'x-actor-id': 'bench-auditor', 'x-actor-role': 'auditor' })
        .then((response) => {
          if (!response.reusedSocket) this.probesOnNewConnection++;
          else if (response.status >= 200 && response.status < 300) recorder.add(nowMs() - answeredAt);
          else this.countFailure(this.lagFailures, `${recorder === this.lagLatency ? 'minPosition' : 'plain'} ${response.status}`);
        })
        .catch((error: unknown) => this.countFailure(this.lagFailures, error instanceof Error ? error.name : 'Error'))
        .finally(() => this.probesInFlight.delete(inFlight));
      this.probesInFlight.add(inFlight);
    };
    read(`${separator}minPosition=${position}`, this.lagLatency);
    read('', this.plainReadLatency);
  }

  /** Opens every connection the probes will use, during the warm-up, so that none opens in the measured window. */
  async openProbeConnections(): Promise<void> {
    await this.probeClient.openConnections('/health');
  }

  async drainProbes(): Promise<void> {
    while (this.probesInFlight.size > 0) await Promise.all([...this.probesInFlight]);
  }

  lagResult(load: LifecycleLoad): LagResult | null {
    if (!load.lagProbe) return null;
    return { samples: this.lagLatency.count, latencyMs: this.lagLatency.percentiles(), plainReadLatencyMs: this.plainReadLatency.percentiles(), failures: this.lagFailures, skipped: this.lagSkipped, onNewConnection: this.probesOnNewConnection };
  }

  byCommand(): DriverResult['byCommand'] {
    return Object.fromEntries([...this.latencyByCommand].map(([command, recorder]) => [command, { count: recorder.count, latencyMs: recorder.percentiles() }]));
  }

  close(): void {
    this.client.close();
    this.probeClient.close();
  }
}

export async function drive(config: DriverConfig): Promise<DriverResult> {
  const window = new Window(nowMs(), config);
  const load = new Load(config, window);
  let cpuAtWindowStart: NodeJS.CpuUsage | undefined;
  // The parent samples the service's CPU and memory on these marks.
  const cpuMark = setTimeout(() => {
    cpuAtWindowStart = process.cpuUsage();
    process.send?.({ mark: 'window-start' });
  }, config.warmupMs);
  const endMark = setTimeout(() => process.send?.({ mark: 'window-end' }), config.warmupMs + config.durationMs);
  if (config.load.lagProbe) await load.openProbeConnections();
  const workers = Array.from({ length: config.concurrency }, (_, worker) => load.runLifecycleWorker(worker, config.load));
  await Promise.all(workers);
  const cpu = process.cpuUsage(cpuAtWindowStart);
  clearTimeout(cpuMark);
  clearTimeout(endMark);
  await load.drainProbes();
  load.close();

  const measuredSeconds = config.durationMs / 1000;
  return {
    measuredSeconds,
    completed: load.completed,
    requestsPerSecond: twoDecimals(load.completed / measuredSeconds),
    latencyMs: load.latency.percentiles(),
    byCommand: load.byCommand(),
    failures: load.failures,
    lifecyclesCompleted: load.lifecyclesCompleted,
    lag: load.lagResult(config.load),
    driverCpuCores: twoDecimals((cpu.user + cpu.system) / 1e6 / measuredSeconds),
  };
}

if (require.main === module) {
  const config = JSON.parse(process.argv[2] ?? '') as DriverConfig;
  // A driver whose parent has gone has no one to report to.
  process.on('disconnect', () => process.exit(1));
  const hardStop = setTimeout(() => {
    process.stderr.write('driver: hard time limit reached\n');
    process.exit(1);
  }, config.warmupMs + config.durationMs + 2 * config.requestTimeoutMs + 10_000);
  hardStop.unref();
  drive(config)
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`driver failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
