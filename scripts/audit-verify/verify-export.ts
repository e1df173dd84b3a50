/**
 * `--export`: the first `treeSize` events of an NDJSON export against a saved, signed tree head. The export alone
 * shows whether the root matches (and names the first malformed, out-of-order, duplicate or missing line); with
 * the service, inclusion proofs name the first event that differs from what was notarised.
 */

import { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { SignedTreeHead } from '@escrow/audit';
import type { PositionRule } from './arguments';
import { detectPositionRule, ExportLineError, exportLeaves } from './export-leaves';
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
  /** How positions follow lines; by default detected from the first line (see detectPositionRule). */
  positions?: PositionRule;
}

const failed = (...lines: string[]): VerificationResult => ({ ok: false, lines });

export async function verifyExport({ exportFile, head, keys, proofs, positions }: ExportVerification): Promise<VerificationResult> {
  if (!existsSync(exportFile)) throw new InputError(`${exportFile}: no such export file`);
  const badSignature = signatureProblem(head, keys);
  if (badSignature !== undefined) return failed(`FAIL: ${describeHead(head)}: ${badSignature}`);
  const rule = positions ?? (await detectPositionRule(exportFile));
  // Said whenever the export is not read as the embedded store's 1, 2, 3 …, so that the reading is never silent.
  const notes = rule === 'increasing' ? [`The export's positions are read as strictly increasing (EventStoreDB's commit positions): leaf index = line − 1${positions === undefined ? ', since its first line is not position 1' : ''}.`] : [];
  const root = new StreamingRoot();
  try {
    for await (const leaf of exportLeaves(exportFile, head.treeSize, rule)) root.append(leaf.hash);
  } catch (error) {
    if (error instanceof ExportLineError || error instanceof LineTooLongError) return failed(...notes, `FAIL: ${exportFile} ${error.message}`);
    throw error;
  }
  const computed = root.root().toString('hex');
  if (computed === head.rootHash) {
    return { ok: true, lines: [...notes, `OK: the first ${head.treeSize} events of ${exportFile} hash to the root of ${describeHead(head)}, signed by key ${head.keyId}`] };
  }
  const mismatch = `FAIL: the first ${head.treeSize} events of ${exportFile} hash to ${computed}, not to the signed root ${head.rootHash}`;
  if (proofs === undefined) {
    return failed(...notes, mismatch, 'Some event up to that size differs from what was notarised; give --url and staff credentials to name the first one.');
  }
  const location = await locateFirstTamperedEvent(exportFile, head.treeSize, Buffer.from(head.rootHash, 'hex'), proofs, rule);
  const line = (leafIndex: number): string => (rule === 'increasing' ? ` (line ${leafIndex + 1} of the export)` : '');
  switch (location.kind) {
    case 'event':
      return failed(
        ...notes,
        mismatch,
        `FAIL: position ${location.position}${line(location.leafIndex)} differs from the event notarised ${rule === 'increasing' ? `as leaf ${location.leafIndex}` : 'at that position'} (notarised leaf hash ${location.notarisedLeafHash?.toString('hex')})`,
      );
    case 'moved':
      return failed(
        ...notes,
        mismatch,
        location.sameEvent
          ? `FAIL: position ${location.position} is leaf ${location.leafIndex} of the export (line ${location.leafIndex + 1}) but was notarised as leaf ${location.notarisedLeafIndex}: events before it are missing from the export, or were added to it`
          : `FAIL: position ${location.position} at leaf ${location.leafIndex} of the export (line ${location.leafIndex + 1}) differs from what was notarised there: the service holds position ${location.position} at leaf ${location.notarisedLeafIndex}`,
      );
    case 'not-in-tree':
      return failed(
        ...notes,
        mismatch,
        `FAIL: position ${location.position} at leaf ${location.leafIndex} of the export (line ${location.leafIndex + 1}) differs from what was notarised there: the service says the tree of size ${head.treeSize} holds no event at that position`,
      );
    case 'service-proof-invalid':
      return failed(...notes, mismatch, `FAIL: the service's inclusion proof of position ${location.position} does not verify against the signed root`);
    default:
      return failed(...notes, mismatch, 'FAIL: the inclusion proofs did not single out an event (the service answered inconsistently)');
  }
}
