import { generateKeyPairSync } from 'node:crypto';
import { DEFAULT_READY_MAX_LAG_EVENTS, DEFAULT_SHUTDOWN_GRACE_MS, DEVELOPMENT_BANK_FINGERPRINT_KEY, InvalidConfigError, loadConfig } from './app-config';

/** Production needs the key that signs the tree heads (see audit-config.ts). */
const TREE_HEAD_KEY = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('service configuration', () => {
  it('defaults to port 3000, ./data and the embedded store', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, eventStore: 'sqlite', projections: 'embedded', authentication: { mode: 'open' }, idempotencyRetentionHours: 48 });
    expect(config.dataDir.endsWith('/data')).toBe(true);
  });

  it('reports every invalid setting at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', EVENT_STORE: 'postgres', LOG_LEVEL: 'loud', API_TOKENS: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    const problems = (error as InvalidConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/EVENT_STORE/);
    expect(problems).toMatch(/LOG_LEVEL/);
    expect(problems).toMatch(/API_TOKENS/);
  });

  describe('ROLE', () => {
    it('is all by default: this process serves the API and runs the processors', () => {
      expect(loadConfig({})).toMatchObject({ role: 'all', projections: 'embedded' });
    });

    it('takes api (no processor) and processors (processors and /health only)', () => {
      expect(loadConfig({ ROLE: 'api' })).toMatchObject({ role: 'api', projections: 'off' });
      expect(loadConfig({ ROLE: 'processors' })).toMatchObject({ role: 'processors', projections: 'embedded' });
      expect(loadConfig({ ROLE: 'all' })).toMatchObject({ role: 'all', projections: 'embedded' });
    });

    it('keeps PROJECTIONS working: off alone is the api role, embedded alone the default', () => {
      expect(loadConfig({ PROJECTIONS: 'off' })).toMatchObject({ role: 'api', projections: 'off' });
      expect(loadConfig({ PROJECTIONS: 'embedded' })).toMatchObject({ role: 'all', projections: 'embedded' });
    });

    it('accepts both settings when they agree', () => {
      expect(loadConfig({ ROLE: 'api', PROJECTIONS: 'off' }).role).toBe('api');
      expect(loadConfig({ ROLE: 'processors', PROJECTIONS: 'embedded' }).role).toBe('processors');
      expect(loadConfig({ ROLE: 'all', PROJECTIONS: 'embedded' }).role).toBe('all');
    });

    it('refuses contradictory settings, naming both', () => {
      expect(() => loadConfig({ ROLE: 'processors', PROJECTIONS: 'off' })).toThrow(/PROJECTIONS=off contradicts ROLE=processors/);
      expect(() => loadConfig({ ROLE: 'all', PROJECTIONS: 'off' })).toThrow(/PROJECTIONS=off contradicts ROLE=all/);
      expect(() => loadConfig({ ROLE: 'api', PROJECTIONS: 'embedded' })).toThrow(/PROJECTIONS=embedded contradicts ROLE=api/);
    });

    it('refuses an unknown role or PROJECTIONS value', () => {
      expect(() => loadConfig({ ROLE: 'worker' })).toThrow(/ROLE must be one of "all", "api", "processors", got "worker"/);
      expect(() => loadConfig({ PROJECTIONS: 'sometimes' })).toThrow(/PROJECTIONS must be "embedded" or "off"/);
    });
  });

  describe('PROCESSORS_THREAD', () => {
    it('runs the projections on a worker thread by default where this process is told of every commit (ROLE=all, embedded store)', () => {
      expect(loadConfig({}).processorsThread).toBe('worker');
      expect(loadConfig({ PROCESSORS_THREAD: 'main' }).processorsThread).toBe('main');
      expect(loadConfig({ ROLE: 'processors' }).processorsThread).toBe('main');
      expect(loadConfig({ ROLE: 'api' }).processorsThread).toBe('main');
      expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }).processorsThread).toBe('main');
    });

    it('refuses an unknown value, and the worker where the commits happen in another process', () => {
      expect(() => loadConfig({ PROCESSORS_THREAD: 'both' })).toThrow(/PROCESSORS_THREAD must be "worker" or "main", got "both"/);
      expect(() => loadConfig({ ROLE: 'processors', PROCESSORS_THREAD: 'worker' })).toThrow(/PROCESSORS_THREAD=worker needs ROLE=all and EVENT_STORE=sqlite/);
    });
  });

  it('refuses out-of-range ports', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '-1' })).toThrow(/PORT/);
  });

  it('needs a connection string for EventStoreDB and refuses one for SQLite', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_CONNECTION_STRING is required/);
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'http://x' })).toThrow(/must start with esdb/);
    expect(() => loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113' })).toThrow(/EVENT_STORE is "sqlite"/);
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }).eventStore).toBe('eventstoredb');
  });

  it('refuses connection strings the pinned EventStoreDB client cannot read, naming the scheme to use instead', () => {
    const esdb = (connectionString: string) => () => loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: connectionString });
    expect(esdb('kurrentdb://admin:changeit@db-1:2113?tls=true')).toThrow(/scheme kurrentdb:\/\/, which the EventStoreDB client .* cannot read.*write it as esdb:\/\//);
    expect(esdb('kurrentdb+discover://cluster.example.com:2113')).toThrow(/write it as esdb\+discover:\/\//);
    expect(esdb('kurrent://db-1:2113')).toThrow(/scheme kurrent:\/\//);
    expect(esdb('kdb://db-1:2113')).toThrow(/scheme kdb:\/\//);
    expect(esdb('ESDB://db-1:2113')).toThrow(/must start with esdb:\/\/ or esdb\+discover:\/\//);
    expect(esdb('db-1:2113')).toThrow(/must start with esdb:\/\//);
    // The password in the string never reaches the message.
    expect(esdb('kurrentdb://admin:s3cret-password@db-1:2113')).not.toThrow(/s3cret/);
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb+discover://cluster.example.com:2113' }).eventStore).toBe('eventstoredb');
  });

  it('reads the readiness lag and the shutdown grace, and refuses values out of range', () => {
    expect(loadConfig({})).toMatchObject({ readyMaxLagEvents: DEFAULT_READY_MAX_LAG_EVENTS, shutdownGraceMs: DEFAULT_SHUTDOWN_GRACE_MS });
    expect(loadConfig({ READY_MAX_LAG_EVENTS: '0', SHUTDOWN_GRACE_MS: '2500' })).toMatchObject({ readyMaxLagEvents: 0, shutdownGraceMs: 2500 });
    expect(() => loadConfig({ READY_MAX_LAG_EVENTS: '-1' })).toThrow(/READY_MAX_LAG_EVENTS must be a whole number from 0 to 1000000000, got "-1"/);
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '10 s' })).toThrow(/SHUTDOWN_GRACE_MS must be a whole number/);
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '600001' })).toThrow(/SHUTDOWN_GRACE_MS/);
  });

  it('takes the bank fingerprint key from BANK_FINGERPRINT_KEY, falls back to the development key, and refuses a short one', () => {
    expect(loadConfig({}).bankFingerprintKey).toBe(DEVELOPMENT_BANK_FINGERPRINT_KEY);
    const key = 'k'.repeat(40);
    expect(loadConfig({ BANK_FINGERPRINT_KEY: key }).bankFingerprintKey).toBe(key);
    expect(() => loadConfig({ BANK_FINGERPRINT_KEY: 'too-short' })).toThrow(/BANK_FINGERPRINT_KEY must be at least 32 characters/);
    const production = { NODE_ENV: 'production', API_CLIENTS: JSON.stringify([{ id: 'a', roles: ['user'], tokens: ['t'.repeat(32)] }]), AUDIT_SIGNING_KEY: TREE_HEAD_KEY };
    expect(() => loadConfig(production)).toThrow(/BANK_FINGERPRINT_KEY must be set when NODE_ENV=production/);
    expect(loadConfig({ ...production, BANK_FINGERPRINT_KEY: key }).bankFingerprintKey).toBe(key);
  });

  it('takes the partner bank code from PARTNER_BANK_CODE (default 0036) and refuses a malformed one', () => {
    expect(loadConfig({}).partnerBankCode).toBe('0036');
    expect(loadConfig({ PARTNER_BANK_CODE: '0005' }).partnerBankCode).toBe('0005');
    expect(() => loadConfig({ PARTNER_BANK_CODE: '36' })).toThrow(/PARTNER_BANK_CODE/);
  });

  it('listens on the loopback interface unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('refuses an idempotency retention under 24 hours and a short DERIVED_ID_KEY', () => {
    expect(loadConfig({ IDEMPOTENCY_RETENTION_HOURS: '24' }).idempotencyRetentionHours).toBe(24);
    expect(() => loadConfig({ IDEMPOTENCY_RETENTION_HOURS: '23' })).toThrow(/IDEMPOTENCY_RETENTION_HOURS/);
    expect(() => loadConfig({ IDEMPOTENCY_RETENTION_HOURS: '1.5' })).toThrow(/IDEMPOTENCY_RETENTION_HOURS/);
    expect(() => loadConfig({ DERIVED_ID_KEY: 'short' })).toThrow(/DERIVED_ID_KEY/);
    const production = {
      NODE_ENV: 'production',
      API_CLIENTS: JSON.stringify([{ id: 'a', roles: ['user'], tokens: ['t'.repeat(32)] }]),
      BANK_FINGERPRINT_KEY: 'f'.repeat(32),
      AUDIT_SIGNING_KEY: TREE_HEAD_KEY,
    };
    const esdb = { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113' };
    expect(() => loadConfig({ ...production, ...esdb })).toThrow(/DERIVED_ID_KEY must be set/);
    expect(loadConfig({ ...production, ...esdb, DERIVED_ID_KEY: 'k'.repeat(32) }).derivedIdKey).toBe('k'.repeat(32));
  });

  describe('CLOCK_OFFSET', () => {
    const DAY = 86_400_000;
    const production = {
      NODE_ENV: 'production',
      API_CLIENTS: JSON.stringify([{ id: 'a', roles: ['user'], tokens: ['t'.repeat(32)] }]),
      AUDIT_SIGNING_KEY: TREE_HEAD_KEY,
      BANK_FINGERPRINT_KEY: 'b'.repeat(32),
    };

    it('is no offset when unset or empty', () => {
      expect(loadConfig({}).clockOffsetMs).toBe(0);
      expect(loadConfig({ CLOCK_OFFSET: '' }).clockOffsetMs).toBe(0);
    });

    it.each([
      ['P8D', 8 * DAY],
      ['PT36H', 36 * 3_600_000],
      ['-P1D', -DAY],
      ['P1DT12H', 1.5 * DAY],
    ])('accepts %s as %d ms', (text, ms) => {
      expect(loadConfig({ CLOCK_OFFSET: text }).clockOffsetMs).toBe(ms);
    });

    it.each(['8 days', 'P1M', 'P1Y', 'P', 'PT', '1d', 'P8D '])('refuses %j, naming the setting and the rule', (text) => {
      let error: unknown;
      try {
        loadConfig({ CLOCK_OFFSET: text });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidConfigError);
      expect((error as InvalidConfigError).problems).toEqual([
        `CLOCK_OFFSET must be an ISO-8601 duration of days, hours, minutes and seconds, such as P8D, PT36H or -P1D (no years or months), got "${text}"`,
      ]);
    });

    it('is refused when NODE_ENV=production, whatever its value, and production starts without it', () => {
      expect(loadConfig(production).clockOffsetMs).toBe(0);
      for (const text of ['P8D', 'PT0S', 'nonsense']) {
        let error: unknown;
        try {
          loadConfig({ ...production, CLOCK_OFFSET: text });
        } catch (e) {
          error = e;
        }
        expect((error as InvalidConfigError).problems).toEqual([
          'CLOCK_OFFSET must not be set when NODE_ENV=production (a shifted clock would date real payments wrongly)',
        ]);
      }
    });
  });
});
