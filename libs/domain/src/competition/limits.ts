import { MAX_MESSAGE_LENGTH } from '../shared/limits';

/**
 * Bounds of a competition (docs/formats.md, Competitions). A worker may send several proposals, as logo and naming
 * competitions commonly receive several designs from one hand, but not without end; the whole competition is bounded
 * so that its stream, and every fold of it, stays small.
 */
export const MAX_PROPOSALS_PER_WORKER = 5;
export const MAX_PROPOSALS = 500;
/** The brief: as long as a message. */
export const MAX_BRIEF_LENGTH = MAX_MESSAGE_LENGTH;
/** A proposal's description: as long as a message. */
export const MAX_PROPOSAL_DESCRIPTION_LENGTH = MAX_MESSAGE_LENGTH;
