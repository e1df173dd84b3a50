import type { Actor, ActorRole } from './actor';

/**
 * Who may read what. Staff roles read everything; a user reads only what they are party to. Who may act
 * is decided by each command's decider, which names its actor; these rules cover reads, and the one rule
 * every command shares: the auditor only reads.
 */

/** Roles that read every contract, account and ledger account. */
export const STAFF_READER_ROLES: readonly ActorRole[] = ['support', 'system', 'auditor'];

export const readsEverything = (actor: Actor): boolean => STAFF_READER_ROLES.includes(actor.role);

/** Roles that read the service's operational figures (its metrics): the platform's monitoring and the auditors. */
export const OPERATIONS_READER_ROLES: readonly ActorRole[] = ['system', 'auditor'];

export const readsOperations = (actor: Actor): boolean => OPERATIONS_READER_ROLES.includes(actor.role);

/** Roles that may issue commands at all; the decider of each command narrows it further. */
export const mayIssueCommands = (actor: Actor): boolean => actor.role !== 'auditor';

/** A contract: its client and its worker are party to it. */
export const mayReadContract = (actor: Actor, parties: { clientId: string; workerId: string }): boolean =>
  readsEverything(actor) || (actor.role === 'user' && (actor.id === parties.clientId || actor.id === parties.workerId));

/** An account's wallet, withdrawals, bank accounts, closure eligibility and statements: its owner's. */
export const mayReadAccount = (actor: Actor, accountId: string): boolean =>
  readsEverything(actor) || (actor.role === 'user' && actor.id === accountId);
