import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { OtherWorkFormat } from '@escrow/domain/escrow';
import { ACTOR_ROLES } from '@escrow/domain/shared/actor';

/**
 * What a route lets its caller read. Commands (POST) are authorised by their deciders, which name the
 * actor each command needs; a GET route without a policy is refused to everyone (fail closed).
 */
export type AccessPolicy =
  /** No authentication at all: health and API documentation. */
  | { kind: 'public' }
  /** Every authenticated caller, whatever the role: fee quotes, completion rates. */
  | { kind: 'authenticated' }
  /** Support, system and auditor only: platform-wide data. */
  | { kind: 'staff' }
  /** The service's operational figures (metrics): system and auditor only. */
  | { kind: 'operations' }
  /** The account's owner (a user whose id is the path parameter), or staff. */
  | { kind: 'account'; param: string }
  /** The contract's client or worker, or staff. */
  | { kind: 'contract'; param: string }
  /** An hourly contract, a task or a competition: its parties (as the format's rule says), or staff. */
  | { kind: 'work'; format: OtherWorkFormat; param: string }
  /** A ledger account: a user reads their own wallet's and the escrow of a contract they are party to. */
  | { kind: 'ledger-account'; param: string }
  /** A command (every POST route): any role but auditor; the decider decides the rest. */
  | { kind: 'command' };

export const ACCESS_POLICY = Symbol('accessPolicy');

const ACTOR_HEADERS = [
  ApiHeader({ name: 'X-Actor-Id', required: true, description: 'The user (or support, system or auditor principal) on whose behalf the call is made' }),
  ApiHeader({ name: 'X-Actor-Role', required: true, enum: [...ACTOR_ROLES], description: 'Must be one of the roles the calling service is allowed to assert' }),
];

const withActor = (policy: AccessPolicy) => applyDecorators(SetMetadata(ACCESS_POLICY, policy), ...ACTOR_HEADERS);

export const Access = {
  public: () => SetMetadata(ACCESS_POLICY, { kind: 'public' } satisfies AccessPolicy),
  authenticated: () => withActor({ kind: 'authenticated' }),
  staff: () => withActor({ kind: 'staff' }),
  operations: () => withActor({ kind: 'operations' }),
  account: (param: string) => withActor({ kind: 'account', param }),
  contract: (param: string) => withActor({ kind: 'contract', param }),
  work: (format: OtherWorkFormat, param: string) => withActor({ kind: 'work', format, param }),
  ledgerAccount: (param: string) => withActor({ kind: 'ledger-account', param }),
};
