/**
 * Replays a contract's history in the terminal: `npm run replay -- <contractId> [--as-of ...] [--json]`.
 * The timeline the history route answers (docs/support.md), printed as a table or as its JSON, read from the
 * service's event store (read-only) or, with --url, from the route itself.
 *
 * Exit code 0 when the timeline is printed, 2 for a usage error, an unknown contract, a refused --as-of or
 * refused credentials, 1 when the store or the service fails.
 */

import { InvalidConfigError } from '../apps/api/src/config/app-config';
import { parseReplayArguments, USAGE, UsageError } from './replay/arguments';
import { renderHistory } from './replay/render';
import { historyFromService, historyFromStore, RefusedError } from './replay/sources';

export async function replay(argv: readonly string[], env: NodeJS.ProcessEnv, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(`${USAGE}\n`);
    return 0;
  }
  try {
    const options = parseReplayArguments(argv, env);
    const history = options.service
      ? await historyFromService(options.contractId, options.asOf, options.service)
      : await historyFromStore(options.contractId, options.asOf, env);
    out(options.json ? `${JSON.stringify(history, null, 2)}\n` : renderHistory(history));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof RefusedError || error instanceof InvalidConfigError) {
      err(`${error.message}\n`);
      return 2;
    }
    err(`The replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void replay(
    process.argv.slice(2),
    process.env,
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  ).then((code) => {
    process.exitCode = code;
  });
}
