import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '@escrow/domain/shared/actor';
import type { DomainEvent } from '@escrow/domain/shared/decider';
import type { EventToAppend, RecordedEvent } from '@escrow/event-store/port';
import { SERVICE_ITSELF } from '../auth/api-clients';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { CommandContext } from '../http/command-context';
import { hashReaction, idempotencyScope } from '../idempotency';
import { createSecretFileOnce } from '../store/secret-file';

/**
 * What the service adds to a decision: the envelope of each event it appends, and every id derived from a
 * command's Idempotency-Key. Ids derived from a key are the same for the same inputs, so a retry names the same
 * contract, milestones and events and is recognised as a retry; they come from a keyed HMAC, so nobody outside
 * the service can predict one.
 */

/** Where the key is kept when DERIVED_ID_KEY is not configured: created once, then read at every start. */
export const DERIVED_ID_KEY_FILE = 'derived-id.key';

/**
 * Derives the seed of the ids a command creates from its caller and Idempotency-Key with a keyed HMAC, so
 * that a retry names the same contract, milestones and events while nobody outside the service can
 * predict an id from a key (a bare hash of the key could be computed by anyone).
 */
@Injectable()
export class DerivedIds {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = config.derivedIdKey !== undefined ? Buffer.from(config.derivedIdKey, 'utf8') : keptKey(config.dataDir);
  }

  seedOf(callingService: string, actor: Actor, idempotencyKey: string): string {
    return createHmac('sha256', this.key)
      .update(idempotencyScope(callingService, actor, idempotencyKey))
      .digest('hex');
  }
}

/** A kept key: 32 random bytes, written as 64 hex digits. */
const KEPT_KEY_PATTERN = /^[0-9a-f]{64}$/;

function keptKey(dataDir: string): Buffer {
  const file = join(dataDir, DERIVED_ID_KEY_FILE);
  if (!existsSync(file)) createKeyFile(file);
  const key = readFileSync(file, 'utf8').trim();
  if (!KEPT_KEY_PATTERN.test(key)) {
    // An empty or partial key would still derive ids, ones that anybody could predict and that differ from those
    // of the commands made before: refused rather than used.
    throw new Error(
      `${file} does not hold a derived-id key (64 hex digits): it was damaged, or left empty by a start killed while creating it. ` +
        'Restore it from a backup, or set DERIVED_ID_KEY to the key the service has used.',
    );
  }
  return Buffer.from(key, 'utf8');
}

function createKeyFile(file: string): void {
  if (createSecretFileOnce(file, randomBytes(32).toString('hex'))) {
    new Logger('DerivedIds').warn(
      `DERIVED_ID_KEY is not set: created ${file}. Every replica of the service must use the same key: set DERIVED_ID_KEY when running more than one.`,
    );
  }
}

/**
 * A new id for something a command creates (a contract, a milestone, a change). With an Idempotency-Key it
 * is derived from the key's secret seed, so a retry names the same thing and is recognised instead of
 * creating another, and nobody can predict it from the key.
 */
export function newIdFor(context: CommandContext, purpose: string): string {
  if (!context.keySeed) return randomUUID();
  return uuidFromHex(createHash('sha256').update(`${context.keySeed}\u0000${purpose}`).digest('hex'));
}

/** A UUID (version 8, name-based) derived from the command's secret key seed and the event's place in its stream. */
export function deterministicEventId(keySeed: string, streamId: string, revision: number): string {
  return uuidFromHex(createHash('sha256').update(`${keySeed}\u0000${streamId}\u0000${revision}`).digest('hex'));
}

/** Formats 32 hex digits as an RFC 9562 version-8 (custom) UUID. */
export function uuidFromHex(hex: string): string {
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * An event decided by a command, ready to append at `revision` of its stream: its id (derived from the key's seed
 * and its place in the stream when the command has a key, so a retried append is recognisable), its schema
 * version, and who, when, through which service, in which correlation, caused by what and under which key.
 */
export function eventEnvelope(
  schemaVersions: Readonly<Record<string, number>>,
  streamId: string,
  revision: number,
  event: DomainEvent,
  context: CommandContext,
): EventToAppend {
  return {
    id: context.keySeed !== undefined ? deterministicEventId(context.keySeed, streamId, revision) : randomUUID(),
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: {
      schemaVersion: schemaVersions[event.type] ?? 1,
      occurredAt: context.at,
      actor: context.actor,
      callingService: context.callingService,
      correlationId: context.correlationId,
      causationId: context.causationId ?? context.requestId,
      ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey, requestHash: context.requestHash } : {}),
    },
  };
}

/** The Idempotency-Key of the wallet credit caused by one source event (a payout or a refund). */
export const walletCreditKey = (sourceEventId: string): string => `wallet-credit:${sourceEventId}`;

/** The Idempotency-Key of the fast-completion rule-out caused by one contract end. */
export const fastCompletionRuleOutKey = (contractEndEventId: string): string => `fast-completion:${contractEndEventId}`;

/**
 * The context of a command a process of the service issues in reaction to an event: in the service's own
 * namespace (`SERVICE_ITSELF`, which no API client can be), under a key derived from the cause, in the cause's
 * correlation, caused by it and at its time, so a late or repeated delivery issues the same command.
 */
export function reactionContext(
  derivedIds: DerivedIds,
  reaction: { actor: Actor; idempotencyKey: string; cause: RecordedEvent },
): CommandContext {
  const { actor, idempotencyKey, cause } = reaction;
  return {
    actor,
    callingService: SERVICE_ITSELF,
    idempotencyKey,
    keySeed: derivedIds.seedOf(SERVICE_ITSELF, actor, idempotencyKey),
    requestHash: hashReaction(idempotencyKey),
    correlationId: cause.metadata.correlationId,
    causationId: cause.id,
    requestId: cause.id,
    at: cause.metadata.occurredAt,
  };
}
