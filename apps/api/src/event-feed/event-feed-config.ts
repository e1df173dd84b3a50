import { InvalidConfigError } from '../config/app-config';

/** How the live event feed treats its readers; every bound is an environment variable. */
export interface EventFeedConfig {
  /** A comment line is sent this often, so that proxies and readers know an idle stream is alive. */
  heartbeatMs: number;
  /** The `retry:` hint: how long a reader should wait before reconnecting after the stream ends. */
  retryMs: number;
  /** Events read from the log at once; never more than this is waiting to be written to one reader. */
  pageSize: number;
  /** A reader whose socket accepts nothing for this long is told to reconnect and closed. */
  stallTimeoutMs: number;
  /** A reader that had caught up and then falls this many events behind the head is told to reconnect and closed. */
  maxLagEvents: number;
  /** Open streams one calling service may hold at once. */
  maxStreamsPerClient: number;
  /** After the final frame, how long a reader has to read it before its connection is cut. */
  closeGraceMs: number;
}

interface Bound {
  env: string;
  min: number;
  max: number;
  default: number;
}

export const EVENT_FEED_BOUNDS: Readonly<Record<keyof EventFeedConfig, Bound>> = {
  heartbeatMs: { env: 'EVENT_FEED_HEARTBEAT_MS', min: 50, max: 300_000, default: 15_000 },
  retryMs: { env: 'EVENT_FEED_RETRY_MS', min: 0, max: 300_000, default: 2_000 },
  pageSize: { env: 'EVENT_FEED_PAGE_SIZE', min: 1, max: 1_000, default: 200 },
  stallTimeoutMs: { env: 'EVENT_FEED_STALL_TIMEOUT_MS', min: 50, max: 600_000, default: 30_000 },
  maxLagEvents: { env: 'EVENT_FEED_MAX_LAG_EVENTS', min: 1, max: 10_000_000, default: 10_000 },
  maxStreamsPerClient: { env: 'EVENT_FEED_MAX_STREAMS_PER_CLIENT', min: 1, max: 1_000, default: 8 },
  closeGraceMs: { env: 'EVENT_FEED_CLOSE_GRACE_MS', min: 50, max: 600_000, default: 10_000 },
};

/** Reads the feed's bounds from the environment; every bad value is reported at once. */
export function loadEventFeedConfig(env: NodeJS.ProcessEnv = process.env): EventFeedConfig {
  const problems: string[] = [];
  const config = {} as EventFeedConfig;
  for (const [key, bound] of Object.entries(EVENT_FEED_BOUNDS) as [keyof EventFeedConfig, Bound][]) {
    const text = env[bound.env];
    if (text === undefined || text.trim() === '') {
      config[key] = bound.default;
      continue;
    }
    const value = /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : NaN;
    if (!(value >= bound.min && value <= bound.max))
      problems.push(`${bound.env} must be an integer from ${bound.min} to ${bound.max}, got "${text}"`);
    config[key] = value;
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return config;
}
