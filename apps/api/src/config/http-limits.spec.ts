import { InvalidConfigError, loadConfig } from './app-config';
import { connectionsCheckingIntervalMs, DEFAULT_HTTP_LIMITS, loadHttpLimits } from './http-limits';

describe('HTTP limits', () => {
  it('default to bounded timeouts, a connection cap and the body limits', () => {
    expect(loadHttpLimits({})).toEqual({
      limits: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 65_000,
        maxConnections: 512,
        bodyLimitBytes: 1_048_576,
        maxJsonDepth: 32,
        maxUrlLength: 4_096,
      },
      problems: [],
    });
    expect(loadConfig({}).http).toEqual(DEFAULT_HTTP_LIMITS);
  });

  it('are read from the environment', () => {
    const { limits, problems } = loadHttpLimits({
      HTTP_HEADERS_TIMEOUT_MS: '300',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '30000',
      HTTP_MAX_CONNECTIONS: '3',
      HTTP_BODY_LIMIT_BYTES: '65536',
      HTTP_MAX_JSON_DEPTH: '8',
      HTTP_MAX_URL_LENGTH: '2048',
    });
    expect(problems).toEqual([]);
    expect(limits).toEqual({
      headersTimeoutMs: 300,
      requestTimeoutMs: 1000,
      keepAliveTimeoutMs: 30_000,
      maxConnections: 3,
      bodyLimitBytes: 65_536,
      maxJsonDepth: 8,
      maxUrlLength: 2048,
    });
  });

  it('refuse values that are not whole numbers, and values out of range, naming the variable and the range', () => {
    const { problems } = loadHttpLimits({
      HTTP_HEADERS_TIMEOUT_MS: '0',
      HTTP_REQUEST_TIMEOUT_MS: '1e4',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '-5',
      HTTP_MAX_CONNECTIONS: '100001',
      HTTP_BODY_LIMIT_BYTES: '1.5',
      HTTP_MAX_JSON_DEPTH: '1000',
      HTTP_MAX_URL_LENGTH: 'long',
    });
    expect(problems).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS must be a whole number from 100 to 120000, got "0"',
      'HTTP_REQUEST_TIMEOUT_MS must be a whole number from 100 to 600000, got "1e4"',
      'HTTP_KEEP_ALIVE_TIMEOUT_MS must be a whole number from 100 to 600000, got "-5"',
      'HTTP_MAX_CONNECTIONS must be a whole number from 1 to 100000, got "100001"',
      'HTTP_BODY_LIMIT_BYTES must be a whole number from 1024 to 67108864, got "1.5"',
      'HTTP_MAX_JSON_DEPTH must be a whole number from 2 to 128, got "1000"',
      'HTTP_MAX_URL_LENGTH must be a whole number from 256 to 16384, got "long"',
    ]);
  });

  it('refuse a header deadline later than the whole request deadline', () => {
    expect(loadHttpLimits({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }).problems).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS (20000) must not exceed HTTP_REQUEST_TIMEOUT_MS (10000)',
    ]);
  });

  it('are reported by loadConfig with every other problem', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', HTTP_MAX_CONNECTIONS: 'many' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).problems).toEqual([expect.stringMatching(/^PORT/), expect.stringMatching(/^HTTP_MAX_CONNECTIONS/)]);
  });

  it('check deadlines at a quarter of the shorter one, between 25 ms and 1 s', () => {
    expect(connectionsCheckingIntervalMs({ ...DEFAULT_HTTP_LIMITS, headersTimeoutMs: 300, requestTimeoutMs: 1000 })).toBe(75);
    expect(connectionsCheckingIntervalMs({ ...DEFAULT_HTTP_LIMITS, headersTimeoutMs: 100, requestTimeoutMs: 100 })).toBe(25);
    expect(connectionsCheckingIntervalMs(DEFAULT_HTTP_LIMITS)).toBe(1000);
  });
});
