import { foundTampering } from '../audit/notary/notary-database';
import type { NotaryStatus } from '../audit/notary/notary-processor';
import type { IntegrityReport } from '../audit/notary/notary.service';

/**
 * The notary's part of readiness: down once a tamper check found the log changed under the tree (or the read
 * models were rebuilt over such a log), naming the positions, and while notarising fails (like the read models:
 * retried with back-off, since `failingSince`); the tree's figures otherwise.
 */
export function notaryHealth(integrity: IntegrityReport, status: NotaryStatus | undefined): { up: boolean; figures: Record<string, unknown> } {
  const { lastCheck, tamperedRebuild } = integrity;
  const figures: Record<string, unknown> = {
    ...(status ? { treeSize: status.treeSize, lastPosition: status.lastPosition, headTreeSize: status.headTreeSize, failures: status.failures } : {}),
    lastCheckAt: lastCheck?.checkedAt ?? null,
  };
  const problems: string[] = [];
  if (status?.failingSince !== undefined) {
    figures.failingSince = status.failingSince;
    figures.lastError = status.lastError ?? null;
    problems.push(`notarising the log has failed since ${status.failingSince} (${status.failures} in a row; full disk or I/O error?): retried with back-off, nothing is skipped`);
  }
  if (lastCheck !== undefined && foundTampering(lastCheck)) {
    figures.mismatchingPositions = lastCheck.mismatchingPositions;
    figures.treeMismatchingPositions = lastCheck.treeMismatchingPositions;
    problems.push(
      `the log does not match what was notarised (positions ${[...lastCheck.mismatchingPositions, ...lastCheck.treeMismatchingPositions].join(', ') || 'none'}` +
        `${lastCheck.problems.length > 0 ? `; ${lastCheck.problems.join('; ')}` : ''}); no tree head is published`,
    );
  }
  if (tamperedRebuild !== undefined) {
    figures.readModelsRebuiltOverTamperedLog = tamperedRebuild;
    problems.push(`the read models were rebuilt over a tampered log (positions ${tamperedRebuild.mismatchingPositions.join(', ')})`);
  }
  if (problems.length === 0) return { up: true, figures };
  const tampered = problems.length > (status?.failingSince === undefined ? 0 : 1);
  const see = tampered ? ': see GET /v1/audit/integrity and docs/audit.md, "Tamper checks"' : '';
  return { up: false, figures: { ...figures, message: `${problems.join('; ')}${see}` } };
}
