import { support, TestService } from './harness';

const DAY_MS = 86_400_000;
const TOKYO_OFFSET_MS = 9 * 3_600_000;
const IDLE_TIMEOUT_MS = 10_000;
const POLL_MS = 10;

interface ScheduledTimer {
  timerId: string;
  kind: string;
  runsAt: string | null;
}

interface ProcessStatus {
  kind: 'projection' | 'reactor';
  name: string;
  lag: number;
  headPosition: number;
}

/** The Tokyo calendar date of an instant. */
export const tokyoDateOf = (instant: string | Date): string => new Date(new Date(instant).getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);

/**
 * Moves a test service's clock on in steps and, after each, waits until the service has done everything the new time
 * makes due: no timer of the schedule is left whose run time has come, every reactor has caught up with the log, and
 * the log stood still while that was read. The wait is bounded (it throws when the service does not settle).
 */
export class ClockWalk {
  constructor(private readonly service: TestService) {}

  /** The Tokyo date the service's clock reads. */
  today(): string {
    return tokyoDateOf(this.service.clock.now());
  }

  /** Moves the clock on by whole days, one at a time, letting the service act after each; answers the head position. */
  async days(count: number): Promise<number> {
    let position = await this.untilIdle();
    for (let day = 0; day < count; day += 1) position = await this.nextDay();
    return position;
  }

  /** Moves the clock on a day at a time until its Tokyo date is `date` (which must not be past). */
  async until(date: string): Promise<number> {
    if (date < this.today()) throw new Error(`the walk is at ${this.today()}, past ${date}`);
    let position = await this.untilIdle();
    while (this.today() < date) position = await this.nextDay();
    return position;
  }

  private async nextDay(): Promise<number> {
    this.service.clock.advance(DAY_MS);
    return this.untilIdle();
  }

  /** Waits until nothing the scheduler or a reactor should do is left undone; answers the head position of the log. */
  async untilIdle(): Promise<number> {
    const started = performance.now();
    let pending = 'nothing read yet';
    while (performance.now() - started < IDLE_TIMEOUT_MS) {
      const before = await this.processes();
      const head = before[0]?.headPosition ?? 0;
      const due = (await this.dueTimers(head)).map((timer) => timer.timerId);
      const after = await this.processes();
      const lagging = after.filter((process) => process.lag > 0).map((process) => process.name);
      if (due.length === 0 && lagging.length === 0 && after[0]?.headPosition === head) return head;
      pending = `due: ${due.join(', ') || 'none'}; lagging: ${lagging.join(', ') || 'none'}`;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(`the service did not settle at ${this.service.clock.now().toISOString()} (${pending})`);
  }

  private async processes(): Promise<ProcessStatus[]> {
    const res = await this.service.get('/v1/projections');
    if (res.status !== 200) throw new Error(`projections: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as ProcessStatus[];
  }

  /** The timers whose run time has come, read from a due table that includes `minPosition`. */
  private async dueTimers(minPosition: number): Promise<ScheduledTimer[]> {
    const now = this.service.clock.now().getTime();
    const due: ScheduledTimer[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/schedule?limit=500&minPosition=${minPosition}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const res = await this.service.get(query, support);
      if (res.status !== 200) throw new Error(`schedule: ${res.status} ${JSON.stringify(res.body)}`);
      const page = res.body as { data: ScheduledTimer[]; nextCursor: string | null };
      due.push(...page.data.filter((timer) => timer.runsAt !== null && Date.parse(timer.runsAt) <= now));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return due;
  }
}
