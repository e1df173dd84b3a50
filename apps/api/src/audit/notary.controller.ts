import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access-policy';
import { PAGE_PARAMETERS, readPage } from '../http/list-page';
import { ListResponses, PageParameters, QueryResponses } from '../http/openapi/operation-responses';
import { ReadQuery } from '../projections/read-query';
import {
  GetConsistencyProofQuery,
  GetInclusionProofQuery,
  GetIntegrityQuery,
  GetNotaryPublicKeyQuery,
  GetTreeHeadQuery,
  ListTreeHeadsQuery,
  TREE_HEADS_CURSOR,
  TREE_HEADS_PAGE,
} from './notary.queries';
import { ConsistencyProofSchema, HEX_HASH, InclusionProofSchema, IntegritySchema, NotaryPublicKeySchema, SignedTreeHeadSchema } from './notary.responses';

const MAX = Number.MAX_SAFE_INTEGER;
const SIZE = { type: 'integer', minimum: 0, maximum: MAX } as const;
const SIGNED_TEXT =
  'The signature is Ed25519 over the UTF-8 text `"escrow-ledger tree head v1\\n" + treeSize + "\\n" + rootHash + "\\n" + timestamp + "\\n"` ' +
  '(decimal size, lower-case hex root, the timestamp exactly as served); check it with the key of `keyId` from GET /v1/audit/public-key?keyId=. ';
const SEE_DOCS = 'docs/audit.md walks through checking it by hand.';

/**
 * The notary's answers: signed tree heads over the log, inclusion and consistency proofs, the public keys, and the
 * last tamper check. Served from notary.sqlite; with ROLE=api, read-only from the file the processors' process writes.
 */
@ApiTags('audit')
@Controller('v1/audit')
export class NotaryController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get('tree-head')
  @Access.staff()
  @ApiOperation({
    summary: 'The latest signed tree head (or an earlier one by its size)',
    description:
      'A tree head commits to the first treeSize events of the log (in global order: on the embedded store, positions 1 to treeSize): rootHash is ' +
      'the RFC 6962 Merkle tree hash of their leaves, leaf hash = SHA-256(0x00 ‖ leaf bytes), node hash = SHA-256(0x01 ‖ left ‖ right), the leaf bytes ' +
      'the canonical JSON of the event as stored (docs/audit.md, "The tree and the leaf format"). ' +
      SIGNED_TEXT +
      'A head is published every AUDIT_TREE_HEAD_EVERY_EVENTS events or AUDIT_TREE_HEAD_MAX_DELAY_MS after the oldest event it does not cover yet, ' +
      'and every head is kept. 404 TREE_HEAD_NOT_FOUND before the first head, or when no head of the asked size was published. ' +
      SEE_DOCS,
  })
  @ApiQuery({ name: 'treeSize', required: false, schema: SIZE, description: 'The size of an earlier published head; without it, the latest head' })
  @QueryResponses(SignedTreeHeadSchema)
  treeHead(@Query() query: Record<string, unknown>): Promise<SignedTreeHeadSchema> {
    const read = new ReadQuery(query, ['treeSize']);
    const treeSize = query.treeSize === undefined ? undefined : read.integer('treeSize', { default: 0 });
    read.done();
    return this.queries.execute(new GetTreeHeadQuery(treeSize));
  }

  @Get('tree-heads')
  @Access.staff()
  @ApiOperation({
    summary: 'Every published tree head, smallest first',
    description: 'Heads are never removed: an auditor can fetch any head they saw before and ask for its consistency with a newer one. ' + SIGNED_TEXT + SEE_DOCS,
  })
  @PageParameters(TREE_HEADS_PAGE)
  @ListResponses(SignedTreeHeadSchema)
  treeHeads(@Query() query: Record<string, unknown>) {
    const read = new ReadQuery(query, [...PAGE_PARAMETERS]);
    const page = readPage(query, read, TREE_HEADS_CURSOR, TREE_HEADS_PAGE);
    read.done();
    return this.queries.execute(new ListTreeHeadsQuery(page.after ?? 0, page.limit));
  }

  @Get('proofs/inclusion')
  @Access.staff()
  @ApiOperation({
    summary: 'Proof that the event at a position is in the tree of a given size',
    description:
      'auditPath is RFC 6962 PATH(leafIndex, D[treeSize]). To check it: compute leafHash = SHA-256(0x00 ‖ leaf bytes) from the event as exported ' +
      '(or take the served one), then run the RFC 9162 §2.1.3.2 algorithm with leafIndex, treeSize and auditPath, and compare the result with the ' +
      'rootHash of the signed head of that treeSize (GET /v1/audit/tree-head?treeSize=), whose signature you check first. treeSize defaults to the latest ' +
      "head's. 400 naming `position` (rule notarised) when the notary has not read that event yet, `treeSize` (rules min, max) when the tree would not " +
      'hold it or is larger than what is notarised. ' +
      SEE_DOCS,
  })
  @ApiQuery({ name: 'position', required: true, schema: { type: 'integer', minimum: 1, maximum: MAX }, description: 'Global position of the event' })
  @ApiQuery({ name: 'treeSize', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX }, description: "Size of the tree; default the latest head's" })
  @QueryResponses(InclusionProofSchema)
  inclusion(@Query() query: Record<string, unknown>): Promise<InclusionProofSchema> {
    const read = new ReadQuery(query, ['position', 'treeSize']);
    if (query.position === undefined) read.fail('position', 'required', 'position is required');
    const position = read.integer('position', { default: 1, min: 1 });
    const treeSize = query.treeSize === undefined ? undefined : read.integer('treeSize', { default: 1, min: 1 });
    read.done();
    return this.queries.execute(new GetInclusionProofQuery(position, treeSize));
  }

  @Get('proofs/consistency')
  @Access.staff()
  @ApiOperation({
    summary: 'Proof that the tree of size `from` is a prefix of the tree of size `to`',
    description:
      'consistencyPath is RFC 6962 PROOF(from, D[to]) (empty when from is 0 or equals to). To check it: take the signed heads of both sizes (check both ' +
      'signatures), then run the RFC 9162 §2.1.4.2 algorithm with from, to, the two root hashes and the path: success proves that every event the older ' +
      'head covered is still in the log, unchanged and in the same order. 400 naming `from` or `to` (rules required, max) when from > to or to is larger ' +
      'than what is notarised. ' +
      SEE_DOCS,
  })
  @ApiQuery({ name: 'from', required: true, schema: SIZE, description: 'Size of the older tree' })
  @ApiQuery({ name: 'to', required: true, schema: SIZE, description: 'Size of the newer tree' })
  @QueryResponses(ConsistencyProofSchema)
  consistency(@Query() query: Record<string, unknown>): Promise<ConsistencyProofSchema> {
    const read = new ReadQuery(query, ['from', 'to']);
    for (const name of ['from', 'to']) if (query[name] === undefined) read.fail(name, 'required', `${name} is required`);
    const from = read.integer('from', { default: 0 });
    const to = read.integer('to', { default: 0 });
    read.done();
    return this.queries.execute(new GetConsistencyProofQuery(from, to));
  }

  @Get('public-key')
  @Access.staff()
  @ApiOperation({
    summary: 'The Ed25519 public key that signs the tree heads (or an older one by its id)',
    description:
      'keyId is the lower-case hex SHA-256 of the key\'s DER (SPKI) encoding: compute it from publicKeyPem to be sure the key is the one named. ' +
      'Every key that ever signed a head stays available by its keyId, so heads signed before a key change stay checkable. 404 SIGNING_KEY_NOT_FOUND for an unknown id.',
  })
  @ApiQuery({ name: 'keyId', required: false, schema: { type: 'string', pattern: HEX_HASH.source }, description: 'The keyId of a head; without it, the current key' })
  @QueryResponses(NotaryPublicKeySchema)
  publicKey(@Query() query: Record<string, unknown>): Promise<NotaryPublicKeySchema> {
    const read = new ReadQuery(query, ['keyId']);
    const keyId = read.matching('keyId', HEX_HASH, '64 lower-case hex digits (the keyId of a tree head)');
    read.done();
    return this.queries.execute(new GetNotaryPublicKeyQuery(keyId));
  }

  @Get('integrity')
  @Access.staff()
  @ApiOperation({
    summary: "The last tamper check: the log's events compared with what was notarised",
    description:
      'At start and every AUDIT_VERIFY_INTERVAL_MS the notary hashes again the last AUDIT_VERIFY_RECENT notarised events and AUDIT_VERIFY_SAMPLE older ones ' +
      "picked at random, compares them with their leaves, and checks that its stored tree reproduces the latest signed head's root on their paths. " +
      'A mismatch fails /health/ready and stops the publication of heads. It does not see events edited before they were notarised; see docs/audit.md, "Tamper checks".',
  })
  @QueryResponses(IntegritySchema)
  integrity(@Query() query: Record<string, unknown>): Promise<IntegritySchema> {
    new ReadQuery(query, []).done();
    return this.queries.execute(new GetIntegrityQuery());
  }
}
