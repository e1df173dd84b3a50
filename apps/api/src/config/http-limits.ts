/**
 * Limits of the HTTP server: how long a client may take to send a request, how long an idle connection is
 * kept, how many connections are held at once, and how large and deep a body may be. The defaults are
 * safe for a service called by a few platform services; each can be changed by an environment variable.
 */
export interface HttpLimits {
  /** A request's headers must have arrived within this time of its start (slow-header clients are cut off, 408). */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived within this time (408). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** Connections held at once; a connection beyond it is closed as it opens. */
  maxConnections: number;
  /** Largest request body (413 beyond). */
  bodyLimitBytes: number;
  /** Deepest nesting of arrays and objects in a JSON body (400 beyond). */
  maxJsonDepth: number;
  /** Longest request target, path and query (414 beyond). */
  maxUrlLength: number;
}

interface LimitSpec {
  env: string;
  min: number;
  max: number;
  default: number;
}

export const HTTP_LIMIT_SPECS: Record<keyof HttpLimits, LimitSpec> = {
  headersTimeoutMs: { env: 'HTTP_HEADERS_TIMEOUT_MS', min: 100, max: 120_000, default: 10_000 },
  requestTimeoutMs: { env: 'HTTP_REQUEST_TIMEOUT_MS', min: 100, max: 600_000, default: 30_000 },
  keepAliveTimeoutMs: { env: 'HTTP_KEEP_ALIVE_TIMEOUT_MS', min: 100, max: 600_000, default: 65_000 },
  maxConnections: { env: 'HTTP_MAX_CONNECTIONS', min: 1, max: 100_000, default: 512 },
  bodyLimitBytes: { env: 'HTTP_BODY_LIMIT_BYTES', min: 1_024, max: 64 * 1024 * 1024, default: 1024 * 1024 },
  maxJsonDepth: { env: 'HTTP_MAX_JSON_DEPTH', min: 2, max: 128, default: 32 },
  maxUrlLength: { env: 'HTTP_MAX_URL_LENGTH', min: 256, max: 16_384, default: 4_096 },
};

export const DEFAULT_HTTP_LIMITS = Object.fromEntries(
  Object.entries(HTTP_LIMIT_SPECS).map(([name, spec]) => [name, spec.default]),
) as unknown as HttpLimits;

/** Reads the HTTP limits from the environment; every problem is returned, for loadConfig to report them all at once. */
export function loadHttpLimits(env: NodeJS.ProcessEnv): { limits: HttpLimits; problems: string[] } {
  const problems: string[] = [];
  const limits = { ...DEFAULT_HTTP_LIMITS };
  for (const [name, spec] of Object.entries(HTTP_LIMIT_SPECS) as [keyof HttpLimits, LimitSpec][]) {
    const text = env[spec.env];
    if (text === undefined || text.trim() === '') continue;
    const value = /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : NaN;
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
      problems.push(`${spec.env} must be a whole number from ${spec.min} to ${spec.max}, got "${text}"`);
      continue;
    }
    limits[name] = value;
  }
  // Node refuses a header deadline later than the whole request's; say so here rather than at listen.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    problems.push(
      `${HTTP_LIMIT_SPECS.headersTimeoutMs.env} (${limits.headersTimeoutMs}) must not exceed ${HTTP_LIMIT_SPECS.requestTimeoutMs.env} (${limits.requestTimeoutMs})`,
    );
  }
  return { limits, problems };
}

/**
 * How often the server looks for requests past their deadline. Node checks on an interval, so a request is
 * cut off between its deadline and one interval later; a quarter of the shorter deadline keeps that slack
 * small, and one second at most.
 */
export const connectionsCheckingIntervalMs = (limits: HttpLimits): number =>
  Math.max(25, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
