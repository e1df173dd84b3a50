import { readsEverything } from '../shared/access';
import type { Actor } from '../shared/actor';
import type { WorkStanding } from '../escrow/closure';
import { adoptionsOf, type CompetitionState, escrowOf } from './state';

/** The competition as its routes and its history answer it: the state as stored, with the escrow it holds. */
export interface CompetitionView extends Omit<CompetitionState, 'paymentReferences' | 'status'> {
  status: Exclude<CompetitionState['status'], 'none'>;
  adoptions: number;
  /** Prepaid prizes not yet adopted or refunded. */
  inEscrow: number;
}

export const competitionView = (state: CompetitionState): CompetitionView | null => {
  if (state.status === 'none') return null;
  const { paymentReferences: _references, ...rest } = state;
  return { ...rest, status: state.status, adoptions: adoptionsOf(state), inEscrow: escrowOf(state) };
};

/**
 * What a command's caller is shown: the client and staff the whole competition; a worker only their own proposals,
 * so that no worker sees another's work (proposals are the work itself).
 */
export const competitionViewFor = (state: CompetitionState, actor: Actor): CompetitionView | null => {
  const view = competitionView(state);
  if (view === null || mayReadCompetitionHistory(actor, state)) return view;
  return { ...view, proposals: view.proposals.filter((proposal) => proposal.workerId === actor.id) };
};

/**
 * Who is party to a competition: its client, and every worker who entered it (staff read everything). A worker reads
 * it through `competitionViewFor`, which shows only their own proposals; its escrow account shows the prizes and to
 * whom they were paid, as the marketplace announces its adoptions.
 */
export const mayReadCompetition = (actor: Actor, state: CompetitionState): boolean =>
  readsEverything(actor) || (actor.role === 'user' && (actor.id === state.clientId || state.proposals.some((proposal) => proposal.workerId === actor.id)));

/** The history holds every proposal whole: its client and staff read it, no worker, so that none sees another's work. */
export const mayReadCompetitionHistory = (actor: Actor, state: CompetitionState): boolean =>
  readsEverything(actor) || (actor.role === 'user' && actor.id === state.clientId);

/**
 * Where an account stands in a competition, for its closure: its client while it is a draft or open (its prize may
 * still be paid out or refunded); a worker while it is open and one of their proposals is not adopted (it may still be).
 */
export const competitionStanding = (state: CompetitionState, accountId: string): WorkStanding => {
  const unsettled = state.status === 'draft' || state.status === 'open';
  return {
    openAsClient: unsettled && state.clientId === accountId,
    openAsWorker: state.status === 'open' && state.proposals.some((proposal) => proposal.workerId === accountId && proposal.adoption === null),
  };
};
