import { forEachConcurrently } from './concurrency';
import { HttpClient, Reply, ScenarioActor } from './http-client';

/**
 * A stream of commands cut into lanes (one per contract, run in order), several lanes in flight. Every
 * command carries an Idempotency-Key, so a command whose answer was lost can be sent again as it was.
 * Each command ends acknowledged (a 2xx answer read before the service was killed) or unacknowledged
 * (the connection failed, or the answer came too late: the service may or may not have applied it).
 */

export interface CommandRequest {
  path: string;
  actor: ScenarioActor;
  body: object;
  status: number;
}

/** What a command answers: the state it left, and the global position of its last event. */
export type CommandAnswer = { position: number } & Record<string, unknown>;

export interface Step<State> {
  name: string;
  /** Steps of one phase run together; a lane stops at the first step of a later phase. */
  phase: number;
  request(state: State): CommandRequest;
  /** Learns from the answer (ids the command created, say). */
  absorb?(state: State, body: CommandAnswer): void;
}

export interface Sent<State> {
  lane: Lane<State>;
  step: Step<State>;
  key: string;
  request: CommandRequest;
}

export interface Acknowledged<State> extends Sent<State> {
  position: number;
  body: CommandAnswer;
}

export class Lane<State> {
  next = 0;
  /** The command sent and not answered when the service went away; retried before the lane goes on. */
  inFlight: Sent<State> | undefined;

  constructor(
    readonly name: string,
    readonly state: State,
    readonly steps: readonly Step<State>[],
  ) {}

  keyOf(step: Step<State>): string {
    return `${this.name}:${step.name}`;
  }

  get done(): boolean {
    return this.next >= this.steps.length;
  }
}

export class CommandStream<State> {
  readonly acknowledged: Acknowledged<State>[] = [];
  /** Every command that was in flight when the service went away, over the whole run. */
  readonly unacknowledged: Sent<State>[] = [];
  private halted = false;

  constructor(readonly lanes: readonly Lane<State>[]) {}

  /**
   * Runs every lane through the steps of `phase`, `concurrency` lanes at a time. `onAcknowledged` is
   * called after each 2xx (it may bring the service down, and then halt()). Resolves once every lane
   * has finished the phase or stopped on a lost connection.
   */
  async run(http: HttpClient, phase: number, concurrency: number, onAcknowledged: (count: number) => void = () => undefined): Promise<void> {
    this.halted = false;
    let count = 0;
    await forEachConcurrently(this.lanes, concurrency, async (lane) => {
      while (!this.halted && lane.inFlight === undefined && !lane.done && lane.steps[lane.next].phase <= phase) {
        const step = lane.steps[lane.next];
        const sent: Sent<State> = { lane, step, key: lane.keyOf(step), request: step.request(lane.state) };
        let reply: Reply<CommandAnswer> | undefined;
        try {
          reply = await this.send(http, sent);
        } catch {
          reply = undefined;
        }
        // An answer that arrives once the service has been killed is dropped, as by a client whose
        // connection was cut before it read it: the command may well have been applied.
        if (reply === undefined || this.halted) {
          lane.inFlight = sent;
          this.unacknowledged.push(sent);
          return;
        }
        this.accept(sent, reply);
        onAcknowledged(++count);
      }
    });
  }

  /** No lane sends anything more in this run (the service is going down). */
  halt(): void {
    this.halted = true;
  }

  /** Sends a lane's unanswered command again, with the same key and body; resolves with the answer. */
  async retry(http: HttpClient, lane: Lane<State>): Promise<Acknowledged<State>> {
    const sent = lane.inFlight;
    if (!sent) throw new Error(`lane ${lane.name} has nothing in flight`);
    const reply = await this.send(http, sent);
    lane.inFlight = undefined;
    return this.accept(sent, reply);
  }

  private send(http: HttpClient, sent: Sent<State>): Promise<Reply<CommandAnswer>> {
    return http.post<CommandAnswer>(sent.request.path, sent.request.actor, sent.request.body, { idempotencyKey: sent.key });
  }

  private accept(sent: Sent<State>, reply: Reply<CommandAnswer>): Acknowledged<State> {
    if (reply.status !== sent.request.status) {
      throw new Error(`${sent.key} (${sent.request.path}): expected ${sent.request.status}, got ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    sent.step.absorb?.(sent.lane.state, reply.body);
    sent.lane.next++;
    const acknowledged: Acknowledged<State> = { ...sent, position: reply.body.position, body: reply.body };
    this.acknowledged.push(acknowledged);
    return acknowledged;
  }
}
