import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TALLY_DIR_VARIABLE, type Tally } from './validated-responses';

/** Prints how many responses of the run were validated against the OpenAPI document. */
export default function globalTeardown(): void {
  const dir = process.env[TALLY_DIR_VARIABLE];
  if (!dir) return;
  const total: Tally = { validated: 0, undocumentedPaths: 0 };
  for (const file of readdirSync(dir)) {
    const tally = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Tally;
    total.validated += tally.validated;
    total.undocumentedPaths += tally.undocumentedPaths;
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `\nOpenAPI: ${total.validated} responses validated against docs/openapi.json; ` +
      `${total.undocumentedPaths} to paths the document does not have (not checked)`,
  );
}
