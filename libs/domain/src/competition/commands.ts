import type { Deliverable, PaymentMethod } from '../contract/commands';
import type { Actor } from '../shared/actor';

/**
 * Commands of the competition aggregate (コンペ形式, one stream per competition). Every command names the competition,
 * the actor who issues it and the instant it is issued at; ids (competition, proposal) are chosen by the caller so
 * that the decider stays deterministic. Amounts are whole yen: the prize is tax-exclusive (税抜, as a milestone's
 * amount), prepayments are its gross (税込).
 */
interface CommandBase<Type extends string> {
  type: Type;
  competitionId: string;
  actor: Actor;
  /** ISO-8601 instant, e.g. 2026-04-01T09:00:00Z. */
  at: string;
}

/** The ids, among the accounts a command involves, whose account the caller found closed (退会済み). */
interface PartyStanding {
  closedAccounts?: readonly string[];
}

/** A gateway payment of one prize's gross into escrow. */
export interface PrizePrepayment {
  paymentReference: string;
  method: PaymentMethod;
  /** The gross paid; when given it must equal the prize's gross exactly. */
  amount?: number;
}

export interface DraftCompetition extends CommandBase<'DraftCompetition'>, PartyStanding {
  title: string;
  /** What the client asks for (the brief every proposal answers). */
  brief: string;
  /** Tax-exclusive prize of one adoption, whole yen. */
  prize: number;
  /** The instant after which no proposal is accepted. */
  deadline: string;
  feeScheduleId?: string;
}

/** The first prize's prepayment (仮払い), before publishing. */
export interface PrepayPrize extends CommandBase<'PrepayPrize'>, PartyStanding, PrizePrepayment {}

export type PublishCompetition = CommandBase<'PublishCompetition'>;

export interface SubmitProposal extends CommandBase<'SubmitProposal'>, PartyStanding {
  proposalId: string;
  title: string;
  description?: string;
  /** The work itself (作品): a competition's proposal carries it. */
  deliverables: Deliverable[];
}

/**
 * The client adopts a proposal: the prize is paid to its worker at once. The first adoption uses the prize prepaid
 * before publishing; every further one carries its own prepayment, recorded before the adoption.
 */
export interface AdoptProposal extends CommandBase<'AdoptProposal'>, PartyStanding {
  proposalId: string;
  prepayment?: PrizePrepayment;
}

/** The client closes the competition (or abandons a draft). */
export type CloseCompetition = CommandBase<'CloseCompetition'>;

/** Support closes a competition with no adoption, having found that no proposal met the brief: the prize is refunded. */
export interface CloseWithoutAdoption extends CommandBase<'CloseWithoutAdoption'> {
  reason: string;
}

export type CompetitionCommand =
  | DraftCompetition
  | PrepayPrize
  | PublishCompetition
  | SubmitProposal
  | AdoptProposal
  | CloseCompetition
  | CloseWithoutAdoption;
