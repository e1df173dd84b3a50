import { parseReplayArguments, UsageError } from './arguments';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseReplayArguments(argv, env);
const refusal = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
  try {
    parse(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

describe('the replay command line', () => {
  it('reads a contract from the local store by default, as a table', () => {
    expect(parse(['c-2026.03_01:a'])).toEqual({ contractId: 'c-2026.03_01:a', asOf: undefined, json: false });
  });

  it('takes an asOf as a revision, an instant with its offset or a date, and --json', () => {
    expect(parse(['c1', '--as-of', '12'])).toMatchObject({ asOf: '12' });
    expect(parse(['--as-of', '2026-03-02T12:00:00+09:00', 'c1', '--json'])).toEqual({ contractId: 'c1', asOf: '2026-03-02T12:00:00+09:00', json: true });
    expect(parse(['c1', '--as-of', '2026-03-02'])).toMatchObject({ asOf: '2026-03-02' });
  });

  it('refuses an asOf the history route would refuse, naming the rule', () => {
    for (const asOf of ['yesterday', '2026-02-30', '2026-03-02T12:00:00', '1999-12-31', '-1', '1234567890123456', `2026-03-02T12:00:00${'0'.repeat(80)}Z`]) {
      expect(refusal(['c1', '--as-of', asOf])).toMatch(/^--as-of: asOf must/);
    }
  });

  it('refuses a contract id that is not an id, so none ever reaches a path or a URL as anything else', () => {
    for (const id of ['../events.sqlite', 'c1/history', '', '.hidden', 'c 1', 'x'.repeat(129), 'c1?asOf=0', '%2e%2e']) {
      expect(refusal([id])).toMatch(/^the contract id must be 1-128 letters, digits/);
    }
  });

  it('refuses no contract, two contracts, unknown options and options given twice or without their value', () => {
    expect(refusal([])).toBe('name the contract: its id');
    expect(refusal(['c1', 'c2'])).toBe('one contract at a time, not 2');
    expect(refusal(['c1', '--asof', '3'])).toBe('unknown option --asof');
    expect(refusal(['c1', '-j'])).toBe('unknown option -j');
    expect(refusal(['c1', '--as-of', '1', '--as-of', '2'])).toBe('--as-of is given more than once');
    expect(refusal(['c1', '--json', '--json'])).toBe('--json is given more than once');
    expect(refusal(['c1', '--as-of'])).toBe('--as-of needs a value');
    expect(refusal(['c1', '--as-of', '--json'])).toBe('--as-of needs a value');
  });

  it('never echoes a value written into an option, a token least of all', () => {
    const token = 'secret-token-'.repeat(3);
    expect(refusal(['c1', '--url', 'http://localhost:3000', '--actor', 's', `--token=${token}`])).toBe('write --token and its value as two words, not --token=…');
    expect(refusal(['c1', `--bearer=${token}`])).toBe('unknown option --bearer');
    expect(refusal(['c1', '--as-of=3'])).toBe('write --as-of and its value as two words, not --as-of=…');
    expect(refusal(['c1', '--url', 'http://localhost:3000', '--actor', 's', '--token', `${token} x`])).not.toContain(token);
  });

  it('asks the service with --url, as the staff member named by --actor, with the token given or from REPLAY_TOKEN', () => {
    expect(parse(['c1', '--url', 'https://escrow.internal:3000', '--actor', 'staff-12', '--token', 't'.repeat(40)])).toEqual({
      contractId: 'c1',
      asOf: undefined,
      json: false,
      service: { url: 'https://escrow.internal:3000', actorId: 'staff-12', token: 't'.repeat(40) },
    });
    expect(parse(['c1', '--url', 'http://localhost:3000/', '--actor', 'staff-12'], { REPLAY_TOKEN: 'from-env' }).service).toEqual({
      url: 'http://localhost:3000/',
      actorId: 'staff-12',
      token: 'from-env',
    });
    expect(parse(['c1', '--url', 'http://localhost:3000', '--actor', 'staff-12']).service).toEqual({ url: 'http://localhost:3000', actorId: 'staff-12' });
  });

  it('refuses a service address that is not plain http(s), a missing or malformed actor, a malformed token, and service options without --url', () => {
    for (const url of ['file:///etc/passwd', 'localhost:3000', 'https://user:secret@escrow.internal', 'https://escrow.internal/?x=1', `https://${'a'.repeat(2100)}.example`]) {
      expect(refusal(['c1', '--url', url, '--actor', 'staff-12'])).toBe('--url must be an http(s) URL, e.g. https://escrow.internal:3000');
    }
    expect(refusal(['c1', '--url', 'http://localhost:3000'])).toBe('--url needs --actor: the staff member the request names');
    expect(refusal(['c1', '--url', 'http://localhost:3000', '--actor', 'staff 12'])).toMatch(/^--actor must be 1-128 letters/);
    expect(refusal(['c1', '--url', 'http://localhost:3000', '--actor', 's', '--token', 'has space'])).toMatch(/^the token must be/);
    expect(refusal(['c1', '--url', 'http://localhost:3000', '--actor', 's'], { REPLAY_TOKEN: 'x'.repeat(1025) })).toMatch(/^the token must be at most 1024/);
    expect(refusal(['c1', '--actor', 'staff-12'])).toBe('--actor goes with --url only');
    expect(refusal(['c1', '--actor', 'staff-12', '--token', 't'])).toBe('--actor and --token go with --url only');
  });
});
