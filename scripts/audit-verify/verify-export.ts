/**
 * `--export`: the first `treeSize` events of an NDJSON export against a saved, signed tree head. The export alone
 * shows whether the root matches (and names the first malformed, out-of-order, duplicate or missing line); with
 * the service, inclusion proofs name the first event that differs from what was notarised.
 */

import { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { SignedTreeHead } from '@escrow/audit';
import { ExportLineError, exportLeaves } from './export-leaves';
import { describeHead, InputError, signatureProblem } from './inputs';
import { locateFirstTamperedEvent } from './locate-tampering';
import { LineTooLongError } from './ndjson-lines';
import { InclusionProofSource } from './service-client';
import { StreamingRoot } from './streaming-root';

export interface VerificationResult {
  ok: boolean;
  /** What the verifier found, one line each; the last is the summary. */
  lines: string[];
}

export interface ExportVerification {
  exportFile: string;
  head: SignedTreeHead;
  keys: ReadonlyMap<string, KeyObject>;
  /** The service, to name the first differing event; without it only the root is compared. */
  proofs?: InclusionProofSource;
}

const failed = (...lines: string[]): VerificationResult => ({ ok: false, lines });

export async function verifyExport({ exportFile, head, keys, proofs }: ExportVerification): Promise<VerificationResult> {
  if (!existsSync(exportFile)) throw new InputError(`${exportFile}: no such export file`);
  const badSignature = signatureProblem(head, keys);
  if (badSignature !== undefined) return failed(`FAIL: ${describeHead(head)}: ${badSignature}`);
  const root = new StreamingRoot();
  try {
    for await (const leaf of exportLeaves(exportFile, head.treeSize)) root.append(leaf.hash);
  } catch (error) {
    if (error instanceof ExportLineError || error instanceof LineTooLongError) return failed(`FAIL: ${exportFile} ${error.message}`);
    throw error;
  }
  const computed = root.root().toString('hex');
  if (computed === head.rootHash) {
    return { ok: true, lines: [`OK: the first ${head.treeSize} events of ${exportFile} hash to the root of ${describeHead(head)}, signed by key ${head.keyId}`] };
  }
  const mismatch = `FAIL: the first ${head.treeSize} events of ${exportFile} hash to ${computed}, not to the signed root ${head.rootHash}`;
  if (proofs === undefined) {
    return failed(mismatch, 'Some event up to that size differs from what was notarised; give --url and staff credentials to name the first one.');
  }
  const location = await locateFirstTamperedEvent(exportFile, head.treeSize, Buffer.from(head.rootHash, 'hex'), proofs);
  switch (location.kind) {
    case 'event':
      return failed(mismatch, `FAIL: position ${location.position} differs from the event notarised at that position (notarised leaf hash ${location.notarisedLeafHash?.toString('hex')})`);
    case 'service-proof-invalid':
      return failed(mismatch, `FAIL: the service's inclusion proof of position ${location.position} does not verify against the signed root`);
    default:
      return failed(mismatch, 'FAIL: the inclusion proofs did not single out an event (the service answered inconsistently)');
  }
}
