import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { consistencyProof, inclusionProof } from '@escrow/audit/merkle/proofs';
import { positionCursor } from '../http/list-cursor';
import { ListPage, pageOf } from '../http/list-page';
import { badRequest, ProblemError } from '../http/problem';
import { foundTampering, NotaryDatabase, StoredTreeHead } from './notary/notary-database';
import { NotaryService } from './notary/notary.service';
import type {
  ConsistencyProofSchema,
  InclusionProofSchema,
  IntegritySchema,
  NotaryPublicKeySchema,
  SignedTreeHeadSchema,
} from './notary.responses';

export const TREE_HEADS_PAGE = { default: 100, max: 1000 };
/** Heads in order of size: a size is published once, and later heads are larger. */
export const TREE_HEADS_CURSOR = positionCursor('tree-heads');

export class GetTreeHeadQuery {
  constructor(readonly treeSize: number | undefined) {}
}
export class ListTreeHeadsQuery {
  constructor(
    readonly afterSize: number,
    readonly limit: number,
  ) {}
}
export class GetInclusionProofQuery {
  constructor(
    readonly position: number,
    readonly treeSize: number | undefined,
  ) {}
}
export class GetConsistencyProofQuery {
  constructor(
    readonly fromSize: number,
    readonly toSize: number,
  ) {}
}
export class GetNotaryPublicKeyQuery {
  constructor(readonly keyId: string | undefined) {}
}
export class GetIntegrityQuery {}

const noHead = (detail: string) => new ProblemError(404, 'TREE_HEAD_NOT_FOUND', 'Not found', detail);
const hex = (hashes: readonly Buffer[]) => hashes.map((hash) => hash.toString('hex'));
const published = ({ treeSize, rootHash, timestamp, signature, keyId }: StoredTreeHead): SignedTreeHeadSchema => ({ treeSize, rootHash, timestamp, signature, keyId });
/** Leaves notarised so far (0 before the notary has written anything). */
const notarisedSize = (db: NotaryDatabase | undefined) => db?.state()?.treeSize ?? 0;

@QueryHandler(GetTreeHeadQuery)
export class GetTreeHeadHandler implements IQueryHandler<GetTreeHeadQuery, SignedTreeHeadSchema> {
  constructor(@Inject(NotaryService) private readonly notary: NotaryService) {}

  async execute({ treeSize }: GetTreeHeadQuery): Promise<SignedTreeHeadSchema> {
    const db = this.notary.database();
    if (treeSize === undefined) {
      const latest = db?.latestHead();
      if (latest === undefined) throw noHead('No tree head has been published yet.');
      return published(latest);
    }
    const head = db?.headOfSize(treeSize);
    if (head === undefined) throw noHead(`No tree head of size ${treeSize} was published; GET /v1/audit/tree-heads lists every published size.`);
    return published(head);
  }
}

@QueryHandler(ListTreeHeadsQuery)
export class ListTreeHeadsHandler implements IQueryHandler<ListTreeHeadsQuery, ListPage<SignedTreeHeadSchema>> {
  constructor(@Inject(NotaryService) private readonly notary: NotaryService) {}

  async execute({ afterSize, limit }: ListTreeHeadsQuery): Promise<ListPage<SignedTreeHeadSchema>> {
    const heads = this.notary.database()?.headsAfter(afterSize, limit + 1) ?? [];
    return pageOf(heads.map(published), limit, TREE_HEADS_CURSOR, (head) => head.treeSize);
  }
}

@QueryHandler(GetInclusionProofQuery)
export class GetInclusionProofHandler implements IQueryHandler<GetInclusionProofQuery, InclusionProofSchema> {
  constructor(@Inject(NotaryService) private readonly notary: NotaryService) {}

  async execute({ position, treeSize: asked }: GetInclusionProofQuery): Promise<InclusionProofSchema> {
    const db = this.notary.database();
    const leaf = db?.leafOfPosition(position);
    if (db === undefined || leaf === undefined) {
      throw badRequest([{ field: 'position', rule: 'notarised', message: `position ${position} is not notarised (yet): it must be the position of an event the notary has read` }]);
    }
    const treeSize = asked ?? db.latestHead()?.treeSize;
    if (treeSize === undefined) throw noHead('No tree head has been published yet: pass treeSize, or wait for the first head.');
    const size = notarisedSize(db);
    if (treeSize < leaf.leafIndex + 1 || treeSize > size) {
      throw badRequest([
        {
          field: 'treeSize',
          rule: treeSize > size ? 'max' : 'min',
          message: `treeSize must be from ${leaf.leafIndex + 1} (the tree must hold leaf ${leaf.leafIndex}) to ${size} (the leaves notarised so far)`,
        },
      ]);
    }
    const auditPath = inclusionProof(leaf.leafIndex, treeSize, db.subtrees());
    return { leafIndex: leaf.leafIndex, leafHash: leaf.leafHash.toString('hex'), auditPath: hex(auditPath), treeSize };
  }
}

@QueryHandler(GetConsistencyProofQuery)
export class GetConsistencyProofHandler implements IQueryHandler<GetConsistencyProofQuery, ConsistencyProofSchema> {
  constructor(@Inject(NotaryService) private readonly notary: NotaryService) {}

  async execute({ fromSize, toSize }: GetConsistencyProofQuery): Promise<ConsistencyProofSchema> {
    const db = this.notary.database();
    const size = notarisedSize(db);
    if (toSize > size) throw badRequest([{ field: 'to', rule: 'max', message: `to must be at most ${size}, the leaves notarised so far` }]);
    if (fromSize > toSize) throw badRequest([{ field: 'from', rule: 'max', message: `from must be at most to (${toSize})` }]);
    const path = db === undefined ? [] : consistencyProof(fromSize, toSize, db.subtrees());
    return { fromSize, toSize, consistencyPath: hex(path) };
  }
}

@QueryHandler(GetNotaryPublicKeyQuery)
export class GetNotaryPublicKeyHandler implements IQueryHandler<GetNotaryPublicKeyQuery, NotaryPublicKeySchema> {
  constructor(@Inject(NotaryService) private readonly notary: NotaryService) {}

  async execute({ keyId }: GetNotaryPublicKeyQuery): Promise<NotaryPublicKeySchema> {
    const db = this.notary.database();
    const current = this.notary.signingKey();
    const wanted = keyId ?? current?.keyId ?? db?.latestHead()?.keyId;
    const key = wanted === undefined ? undefined : wanted === current?.keyId ? current : db?.key(wanted);
    if (key === undefined) {
      throw new ProblemError(404, 'SIGNING_KEY_NOT_FOUND', 'Not found', keyId === undefined ? 'No key has signed a tree head yet.' : `No tree head was signed with key ${keyId}.`);
    }
    return { keyId: key.keyId, algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem };
  }
}

@QueryHandler(GetIntegrityQuery)
export class GetIntegrityHandler implements IQueryHandler<GetIntegrityQuery, IntegritySchema> {
  constructor(@Inject(NotaryService) private readonly notary: NotaryService) {}

  async execute(): Promise<IntegritySchema> {
    const { lastCheck, tamperedRebuild } = this.notary.integrity();
    const tampered = (lastCheck !== undefined && foundTampering(lastCheck)) || tamperedRebuild !== undefined;
    return {
      status: tampered ? 'tampered' : lastCheck === undefined ? 'unchecked' : 'intact',
      lastCheck: lastCheck ?? null,
      readModelsRebuiltOverTamperedLog: tamperedRebuild ?? null,
    };
  }
}

export const NOTARY_QUERY_HANDLERS = [
  GetTreeHeadHandler,
  ListTreeHeadsHandler,
  GetInclusionProofHandler,
  GetConsistencyProofHandler,
  GetNotaryPublicKeyHandler,
  GetIntegrityHandler,
];
