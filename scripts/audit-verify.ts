/**
 * Verifies the service's log from outside it: `npm run audit:verify` (see USAGE and docs/audit.md, "Verifying").
 * It uses only the audit library and the documented formats, so an auditor can read it and write it again.
 */

import { parseArguments, USAGE, UsageError, VerifierCommand } from './audit-verify/arguments';
import { InputError, readPublicKeys, readTreeHead } from './audit-verify/inputs';
import { AuditService, ServiceError } from './audit-verify/service-client';
import { verifyHeadsConsistency } from './audit-verify/verify-consistency';
import { verifyDataDir } from './audit-verify/verify-data-dir';
import { verifyExport, VerificationResult } from './audit-verify/verify-export';

export async function runVerifier(command: VerifierCommand): Promise<VerificationResult> {
  switch (command.mode) {
    case 'export':
      return verifyExport({
        exportFile: command.exportFile,
        head: readTreeHead(command.headFile),
        keys: readPublicKeys(command.publicKeyFiles),
        proofs: command.service && new AuditService(command.service),
        positions: command.positions,
      });
    case 'consistency':
      return verifyHeadsConsistency(
        readTreeHead(command.oldHeadFile),
        readTreeHead(command.newHeadFile),
        readPublicKeys(command.publicKeyFiles),
        new AuditService(command.service),
      );
    case 'data-dir':
      return verifyDataDir(command.dataDir);
  }
}

/** Runs the command line; returns the exit code (0 verified, 1 not verified, 2 usage). */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  let command: VerifierCommand;
  try {
    command = parseArguments(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    print(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    const result = await runVerifier(command);
    result.lines.forEach((line) => print(line));
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof InputError || error instanceof ServiceError) {
      print(`FAIL: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  // npm runs a script from the package's root; the files an auditor names are where they typed the command.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  main(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
