import type { Actor } from '../shared/actor';
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
  if (view === null || actor.role !== 'user' || actor.id === state.clientId) return view;
  return { ...view, proposals: view.proposals.filter((proposal) => proposal.workerId === actor.id) };
};

/** Who may read a competition: its client (staff read everything). Its proposals are other workers' work. */
export const mayReadCompetition = (actor: Actor, state: CompetitionState): boolean => actor.role === 'user' && state.status !== 'none' && actor.id === state.clientId;
