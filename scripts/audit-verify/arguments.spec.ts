import { main } from '../audit-verify';
import { parseArguments, UsageError } from './arguments';

describe('audit:verify arguments', () => {
  it('reads the three modes', () => {
    expect(parseArguments(['--export', 'e.ndjson', '--head', 'h.json', '--public-key', 'k.pem'], {})).toEqual({
      mode: 'export',
      exportFile: 'e.ndjson',
      headFile: 'h.json',
      publicKeyFiles: ['k.pem'],
      service: undefined,
    });
    expect(parseArguments(['--consistency', 'a.json', 'b.json', '--url', 'http://localhost:3000', '--public-key', 'k.pem', '--actor-role', 'support'], { AUDIT_VERIFY_TOKEN: 't' })).toEqual({
      mode: 'consistency',
      oldHeadFile: 'a.json',
      newHeadFile: 'b.json',
      publicKeyFiles: ['k.pem'],
      service: { url: 'http://localhost:3000', token: 't', actorId: 'audit-verify', actorRole: 'support' },
    });
    expect(parseArguments(['--data-dir', '/var/lib/escrow'], {})).toEqual({ mode: 'data-dir', dataDir: '/var/lib/escrow' });
  });

  it('reads how an export\'s positions follow its lines, when told', () => {
    expect(parseArguments(['--export', 'e.ndjson', '--head', 'h.json', '--public-key', 'k.pem', '--positions', 'increasing'], {})).toMatchObject({ mode: 'export', positions: 'increasing' });
    expect(parseArguments(['--export', 'e.ndjson', '--head', 'h.json', '--public-key', 'k.pem'], {})).not.toHaveProperty('positions', expect.anything());
  });

  it.each([
    [[], 'give exactly one of --export, --consistency, --data-dir'],
    [['--export', 'e', '--data-dir', 'd'], 'give exactly one of --export, --consistency, --data-dir'],
    [['--export', 'e', '--public-key', 'k'], '--export needs --head'],
    [['--export', 'e', '--head', 'h'], '--public-key is required'],
    [['--consistency', 'a', '--public-key', 'k'], '--consistency needs two tree head files'],
    [['--consistency', 'a', 'b', '--public-key', 'k'], '--consistency needs --url'],
    [['--export', 'e', '--head', 'h', '--public-key', 'k', '--url', 'ftp://x'], '--url must be an http(s) URL'],
    [['--export', 'e', '--head', 'h', '--public-key', 'k', '--url', 'http://x', '--actor-role', 'user'], '--actor-role must be one of auditor, support, system'],
    [['--data-dir', 'd', '--public-key', 'k'], '--data-dir takes no --public-key'],
    [['--export', 'e', '--head', 'h', '--public-key', 'k', '--positions', 'commit'], '--positions must be one of contiguous, increasing'],
    [['--consistency', 'a', 'b', '--public-key', 'k', '--url', 'http://x', '--positions', 'increasing'], '--positions goes with --export only'],
    [['--data-dir', 'd', '--positions', 'increasing'], '--data-dir takes no --positions'],
    [['--head'], '--head needs a value'],
    [['--verbose'], 'unknown argument --verbose'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseArguments(argv, {})).toThrow(new UsageError(message));
  });

  it('a usage error exits 2 with the usage', async () => {
    const lines: string[] = [];
    expect(await main(['--nonsense'], {}, (line) => lines.push(line))).toBe(2);
    expect(lines.join('\n')).toMatch(/^unknown argument --nonsense\n\nUsage:\n {2}npm run audit:verify -- --export/);
  });
});
