/** The command line of `npm run replay`. */

import { asOfBreach } from '@escrow/projections/contract-history/contract-history';
import { ID_PATTERN, ID_PATTERN_DESCRIPTION } from '@escrow/domain/shared/limits';

export const USAGE = `Usage: npm run replay -- <contractId> [--as-of REVISION|INSTANT|DATE] [--json]
                        [--url URL --actor STAFF_ID [--token TOKEN]]

Prints a contract's timeline: every event with who acted and through which service, the money after it
(funded, in escrow, paid out with fee and net, refunded, cancelled) and the ledger postings it caused.

  --as-of VALUE   the history up to a stream revision (12), an instant with its offset
                  (2026-03-02T12:00:00+09:00) or a date (2026-03-02, its first instant UTC)
  --json          the timeline as the history route answers it, instead of the table
  --url URL       read the service's GET /v1/contracts/{id}/history instead of the local store, as support
  --actor ID      the staff member the request names (X-Actor-Id, role support); required with --url
  --token TOKEN   the support client's bearer token; REPLAY_TOKEN in the environment is read when it is not
                  given (it keeps the token out of the shell's history)

Without --url it reads the event store of the service's configuration (DATA_DIR, EVENT_STORE,
EVENTSTORE_CONNECTION_STRING), read-only: safe while the service runs.

Exit code 0 when the timeline is printed, 2 for a usage error, an unknown contract or a refused --as-of,
1 when the store or the service fails.`;

export class UsageError extends Error {}

export interface ServiceSource {
  /** Base URL of the service, e.g. https://escrow.internal:3000. */
  url: string;
  /** The support client's bearer token; absent for a service running open (development). */
  token?: string;
  actorId: string;
}

export interface ReplayOptions {
  contractId: string;
  asOf?: string;
  json: boolean;
  /** The service to ask; the local store when absent. */
  service?: ServiceSource;
}

const FLAGS_WITH_VALUE = new Set(['--as-of', '--url', '--token', '--actor']);
const MAX_URL_LENGTH = 2048;
const MAX_TOKEN_LENGTH = 1024;
const MAX_AS_OF_LENGTH = 64;

export function parseReplayArguments(argv: readonly string[], env: NodeJS.ProcessEnv): ReplayOptions {
  const values = new Map<string, string>();
  const positional: string[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--json') {
      if (json) throw new UsageError('--json is given more than once');
      json = true;
    } else if (FLAGS_WITH_VALUE.has(arg)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      if (values.has(arg)) throw new UsageError(`${arg} is given more than once`);
      values.set(arg, value);
      i += 1;
    } else if (arg.startsWith('-')) {
      // Only the option's name is echoed: a value written into it (--token=…) must never reach the terminal.
      const name = arg.split('=')[0];
      throw new UsageError(FLAGS_WITH_VALUE.has(name) ? `write ${name} and its value as two words, not ${name}=…` : `unknown option ${name}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'name the contract: its id' : `one contract at a time, not ${positional.length}`);
  const [contractId] = positional;
  if (!ID_PATTERN.test(contractId)) throw new UsageError(`the contract id must be ${ID_PATTERN_DESCRIPTION}`);

  const asOf = values.get('--as-of');
  if (asOf !== undefined) {
    const breach = asOf.length > MAX_AS_OF_LENGTH ? { message: `asOf must be at most ${MAX_AS_OF_LENGTH} characters` } : asOfBreach(asOf);
    if (breach) throw new UsageError(`--as-of: ${breach.message}`);
  }

  const url = values.get('--url');
  if (url === undefined) {
    const serviceOnly = ['--actor', '--token'].filter((flag) => values.has(flag));
    if (serviceOnly.length > 0) throw new UsageError(`${serviceOnly.join(' and ')} ${serviceOnly.length > 1 ? 'go' : 'goes'} with --url only`);
    return { contractId, asOf, json };
  }
  if (url.length > MAX_URL_LENGTH || !isHttpUrl(url)) throw new UsageError('--url must be an http(s) URL, e.g. https://escrow.internal:3000');
  const actorId = values.get('--actor');
  if (actorId === undefined) throw new UsageError('--url needs --actor: the staff member the request names');
  if (!ID_PATTERN.test(actorId)) throw new UsageError(`--actor must be ${ID_PATTERN_DESCRIPTION}`);
  const token = values.get('--token') ?? (env.REPLAY_TOKEN || undefined);
  if (token !== undefined && (token.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token))) {
    throw new UsageError(`the token must be at most ${MAX_TOKEN_LENGTH} printable characters without spaces`);
  }
  return { contractId, asOf, json, service: { url, actorId, ...(token === undefined ? {} : { token }) } };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}
