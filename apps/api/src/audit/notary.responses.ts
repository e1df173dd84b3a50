import { ApiProperty } from '@nestjs/swagger';
import { ListPageSchema } from '../http/openapi/operation-responses';
import { CountField, EnumField, InstantField, NestedField, PatternField, PositionField, TextField } from '../http/openapi/response-fields';

/** A SHA-256 digest in lower-case hex. */
export const HEX_HASH = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const HashListField = (description: string) =>
  ApiProperty({ type: 'array', items: { type: 'string', pattern: HEX_HASH.source }, required: true, description });

export class SignedTreeHeadSchema {
  @PositionField({ description: 'Number of leaves: the events of the log from its first, in global order (on the embedded store, positions 1 to treeSize)' })
  treeSize!: number;
  @PatternField(HEX_HASH, { description: 'RFC 6962 Merkle tree hash of those leaves, lower-case hex (SHA-256 of the empty string for size 0)' })
  rootHash!: string;
  @InstantField({ description: 'When the head was signed: ISO-8601 UTC with milliseconds, as signed' })
  timestamp!: string;
  @PatternField(BASE64, {
    description:
      'Ed25519 signature, base64, of the UTF-8 text "escrow-ledger tree head v1\\n" + treeSize + "\\n" + rootHash + "\\n" + timestamp + "\\n" (see docs/audit.md, "What is signed")',
  })
  signature!: string;
  @PatternField(HEX_HASH, { description: 'Lower-case hex SHA-256 of the DER (SPKI) encoding of the public key that verifies the signature (GET /v1/audit/public-key?keyId=)' })
  keyId!: string;
}

export class InclusionProofSchema {
  @PositionField({ description: 'Index of the event in the tree: the number of events before it in the log (position − 1 on the embedded store)' })
  leafIndex!: number;
  @PatternField(HEX_HASH, { description: 'SHA-256(0x00 ‖ leaf bytes of the event), lower-case hex' })
  leafHash!: string;
  @HashListField('RFC 6962 audit path PATH(leafIndex, D[treeSize]), from the leaf up; verify with RFC 9162 §2.1.3.2 against the root of a head of treeSize')
  auditPath!: string[];
  @PositionField({ minimum: 1, description: 'Size of the tree the path leads to the root of' })
  treeSize!: number;
}

export class ConsistencyProofSchema {
  @PositionField({ description: 'Size of the older tree' })
  fromSize!: number;
  @PositionField({ description: 'Size of the newer tree' })
  toSize!: number;
  @HashListField('RFC 6962 PROOF(fromSize, D[toSize]); empty when fromSize is 0 or equals toSize; verify with RFC 9162 §2.1.4.2 against the two heads\' roots')
  consistencyPath!: string[];
}

export class NotaryPublicKeySchema {
  @PatternField(HEX_HASH, { description: 'Lower-case hex SHA-256 of the key\'s DER (SPKI) encoding: the keyId of the heads it signed' })
  keyId!: string;
  @EnumField(['Ed25519']) algorithm!: 'Ed25519';
  @TextField({ description: 'The public key, PEM (-----BEGIN PUBLIC KEY-----, SPKI)' }) publicKeyPem!: string;
}

export class RecentRangeSchema {
  @PositionField({ minimum: 1 }) fromPosition!: number;
  @PositionField({ minimum: 1 }) toPosition!: number;
  @CountField() count!: number;
}

export class IntegrityCheckSchema {
  @InstantField() checkedAt!: string;
  @EnumField(['service', 'rebuild'], { description: 'service: the running notary\'s check; rebuild: the full comparison of npm run projections:rebuild' })
  origin!: string;
  @CountField({ description: 'Events notarised when the check ran' }) treeSize!: number;
  @NestedField(() => RecentRangeSchema, { nullable: true, description: 'The latest notarised events, every one checked; null when none' })
  recent!: RecentRangeSchema | null;
  @CountField({ description: 'Older events checked, picked at random' }) sampledCount!: number;
  @PositionField({ nullable: true, description: 'Size of the signed head the stored tree was checked against; null before the first head' })
  headTreeSize!: number | null;
  @ApiProperty({ type: 'array', items: { type: 'integer', minimum: 1 }, required: true, description: 'Positions whose event in the log no longer hashes to the leaf notarised for it' })
  mismatchingPositions!: number[];
  @ApiProperty({ type: 'array', items: { type: 'integer', minimum: 1 }, required: true, description: "Positions whose stored leaf and nodes do not reproduce the signed head's root (the notary's file was changed)" })
  treeMismatchingPositions!: number[];
  @ApiProperty({ type: 'array', items: { type: 'string' }, required: true, description: 'Anything else found wrong, in words' })
  problems!: string[];
}

export class TamperedRebuildSchema {
  @InstantField() rebuiltAt!: string;
  @ApiProperty({ type: 'array', items: { type: 'integer', minimum: 1 }, required: true }) mismatchingPositions!: number[];
}

export class IntegritySchema {
  @EnumField(['intact', 'tampered', 'unchecked'], {
    description: 'tampered when the last check found a mismatch or the read models were rebuilt over a log found tampered; unchecked before the first check',
  })
  status!: 'intact' | 'tampered' | 'unchecked';
  @NestedField(() => IntegrityCheckSchema, { nullable: true, description: 'The last tamper check; null before the first' })
  lastCheck!: IntegrityCheckSchema | null;
  @NestedField(() => TamperedRebuildSchema, {
    nullable: true,
    description: 'Set when the read models were rebuilt with --accept-tampered-log: what they serve was built over those changed events',
  })
  readModelsRebuiltOverTamperedLog!: TamperedRebuildSchema | null;
}

export const SignedTreeHeadPageSchema = ListPageSchema(SignedTreeHeadSchema);
