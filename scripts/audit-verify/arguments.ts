/** The command line of `npm run audit:verify`. */

import type { ServiceCredentials } from './service-client';

export const USAGE = `Usage:
  npm run audit:verify -- --export events.ndjson --head head.json --public-key key.pem [--url URL] [--positions RULE]
  npm run audit:verify -- --consistency old-head.json new-head.json --public-key key.pem --url URL
  npm run audit:verify -- --data-dir DIR

  --export FILE        an NDJSON export (GET /v1/audit/events, Accept: application/x-ndjson) from the log's start
  --positions RULE     contiguous: line n holds position n (the embedded store); increasing: positions only rise
                       (EventStoreDB's commit positions), leaf index = line - 1. By default contiguous when the
                       first line is position 1, increasing otherwise
  --head FILE          a saved tree head (the JSON of GET /v1/audit/tree-head)
  --public-key FILE    the signing key's PEM (or the JSON of GET /v1/audit/public-key); repeat it for heads
                       signed before a key rotation
  --url URL            the service, to name the first differing event (--export) or to fetch the consistency
                       proof (--consistency); the calling service's token is read from AUDIT_VERIFY_TOKEN
  --actor-id ID        the actor the requests name (default audit-verify)
  --actor-role ROLE    auditor, support or system (default auditor)
  --data-dir DIR       the service's DATA_DIR: events.sqlite against notary.sqlite, opened read-only

Exit code 0 when everything verifies, 1 when something does not (the first differing position is named),
2 for a usage error.`;

export class UsageError extends Error {}

/** How an export's positions relate to its lines (docs/audit.md, "Verifying"). */
export type PositionRule = 'contiguous' | 'increasing';
const POSITION_RULES: readonly PositionRule[] = ['contiguous', 'increasing'];

export type VerifierCommand =
  | { mode: 'export'; exportFile: string; headFile: string; publicKeyFiles: string[]; service?: ServiceCredentials; positions?: PositionRule }
  | { mode: 'consistency'; oldHeadFile: string; newHeadFile: string; publicKeyFiles: string[]; service: ServiceCredentials }
  | { mode: 'data-dir'; dataDir: string };

const FLAGS_WITH_VALUE = new Set(['--export', '--head', '--public-key', '--url', '--actor-id', '--actor-role', '--data-dir', '--positions']);
const STAFF_ROLES = ['auditor', 'support', 'system'];

export function parseArguments(argv: readonly string[], env: NodeJS.ProcessEnv): VerifierCommand {
  const values = new Map<string, string[]>();
  const add = (flag: string, value: string): void => void values.set(flag, [...(values.get(flag) ?? []), value]);
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--consistency') {
      const [oldHead, newHead] = [argv[i + 1], argv[i + 2]];
      if (oldHead === undefined || newHead === undefined || oldHead.startsWith('--') || newHead.startsWith('--')) throw new UsageError('--consistency needs two tree head files');
      add(flag, oldHead);
      add(flag, newHead);
      i += 2;
    } else if (FLAGS_WITH_VALUE.has(flag)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      add(flag, value);
      i += 1;
    } else {
      throw new UsageError(`unknown argument ${flag}`);
    }
  }
  const one = (flag: string): string | undefined => {
    const given = values.get(flag);
    if (given !== undefined && given.length > 1) throw new UsageError(`${flag} is given more than once`);
    return given?.[0];
  };
  const modes = ['--export', '--consistency', '--data-dir'].filter((flag) => values.has(flag));
  if (modes.length !== 1) throw new UsageError('give exactly one of --export, --consistency, --data-dir');

  const url = one('--url');
  let service: ServiceCredentials | undefined;
  if (url !== undefined) {
    if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError('--url must be an http(s) URL');
    const actorRole = one('--actor-role') ?? 'auditor';
    if (!STAFF_ROLES.includes(actorRole)) throw new UsageError(`--actor-role must be one of ${STAFF_ROLES.join(', ')}`);
    service = { url, token: env.AUDIT_VERIFY_TOKEN || undefined, actorId: one('--actor-id') ?? 'audit-verify', actorRole };
  }
  const publicKeyFiles = values.get('--public-key') ?? [];

  if (modes[0] === '--data-dir') {
    const extra = [...values.keys()].filter((flag) => flag !== '--data-dir');
    if (extra.length > 0) throw new UsageError(`--data-dir takes no ${extra.join(', ')}`);
    return { mode: 'data-dir', dataDir: one('--data-dir')! };
  }
  if (publicKeyFiles.length === 0) throw new UsageError('--public-key is required');
  if (modes[0] === '--export') {
    const headFile = one('--head');
    if (headFile === undefined) throw new UsageError('--export needs --head');
    const positions = one('--positions');
    if (positions !== undefined && !POSITION_RULES.includes(positions as PositionRule)) throw new UsageError(`--positions must be one of ${POSITION_RULES.join(', ')}`);
    return { mode: 'export', exportFile: one('--export')!, headFile, publicKeyFiles, service, positions: positions as PositionRule | undefined };
  }
  if (values.has('--positions')) throw new UsageError('--positions goes with --export only');
  if (service === undefined) throw new UsageError('--consistency needs --url');
  if (values.has('--head')) throw new UsageError('--consistency takes its two heads directly, not --head');
  const [oldHeadFile, newHeadFile] = values.get('--consistency')!;
  if (values.get('--consistency')!.length !== 2) throw new UsageError('--consistency is given more than once');
  return { mode: 'consistency', oldHeadFile, newHeadFile, publicKeyFiles, service };
}
