import type { ProblemCodeEntry } from '../http/problem-catalogue';

const READ_FIRST = 'Read the competition to see its current state, and send the command only when the state allows it.';
const FIX_THE_FIELD = 'Correct the value named in `errors[].field` by the rule in `errors[].rule` and send the request again.';
const ASK_THE_RIGHT_ACTOR = 'Send the command as the actor the operation names (see docs/formats.md), or not at all.';

/** The problem codes of competition commands (docs/formats.md, Competitions), part of the one problem catalogue. */
export const COMPETITION_PROBLEMS: Readonly<Record<string, ProblemCodeEntry>> = {
  NOT_COMPETITION_CLIENT: { status: 403, meaning: 'Only the competition\'s client may issue this command.', remedy: ASK_THE_RIGHT_ACTOR },
  CLIENT_MAY_NOT_PROPOSE: { status: 403, meaning: 'The client may not enter its own competition.', remedy: ASK_THE_RIGHT_ACTOR },
  COMPETITION_NOT_FOUND: { status: 404, meaning: 'No competition has this id.', remedy: 'Check the id; a competition exists from its draft on.' },
  PROPOSAL_NOT_FOUND: { status: 404, meaning: 'No proposal with this id was submitted to the competition.', remedy: READ_FIRST },
  INVALID_BRIEF: { status: 400, meaning: 'The brief is empty, too long or holds control characters.', remedy: FIX_THE_FIELD },
  INVALID_PROPOSAL_DESCRIPTION: { status: 400, meaning: 'The proposal\'s description is empty, too long or holds control characters.', remedy: FIX_THE_FIELD },
  INVALID_PRIZE_PREPAYMENT: { status: 400, meaning: 'The prepayment that goes with an adoption is not an object.', remedy: FIX_THE_FIELD },
  COMPETITION_ALREADY_EXISTS: { status: 409, meaning: 'A competition with this id exists already.', remedy: 'Draft with a new Idempotency-Key, or read the existing competition.' },
  COMPETITION_DEADLINE_NOT_IN_FUTURE: { status: 409, meaning: 'The deadline is not after the moment the competition is drafted.', remedy: 'Name a deadline ahead.' },
  COMPETITION_ALREADY_PUBLISHED: { status: 409, meaning: 'The competition is published: a draft\'s commands no longer apply.', remedy: READ_FIRST },
  COMPETITION_NOT_PUBLISHED: { status: 409, meaning: 'The competition is a draft: it takes no proposal nor adoption yet.', remedy: 'Prepay the prize and publish first.' },
  COMPETITION_CLOSED: { status: 409, meaning: 'The competition is closed: nothing more can happen to it.', remedy: READ_FIRST },
  COMPETITION_DEADLINE_PASSED: { status: 409, meaning: 'The competition\'s deadline has passed: it can no longer be published.', remedy: 'Close the draft (its prize is refunded) and draft a new one.' },
  COMPETITION_DEADLINE_NOT_PASSED: { status: 409, meaning: 'Without an adoption a competition stays open to proposals until its deadline.', remedy: 'Adopt a proposal, or wait for the deadline.' },
  PROPOSAL_DEADLINE_PASSED: { status: 409, meaning: 'The competition\'s deadline has passed: it takes no more proposals.', remedy: 'Nothing: proposals are taken only before the deadline.' },
  PROPOSAL_ALREADY_EXISTS: { status: 409, meaning: 'A proposal with this id exists already.', remedy: 'Submit with a new Idempotency-Key.' },
  PROPOSAL_LIMIT_REACHED: { status: 409, meaning: 'The worker has sent as many proposals as one competition takes from one worker, or the competition is full.', remedy: 'Send no more proposals to this competition.' },
  PROPOSAL_ALREADY_ADOPTED: { status: 409, meaning: 'The proposal (or, for support, a proposal of the competition) was adopted already.', remedy: READ_FIRST },
  PRIZE_ALREADY_PREPAID: { status: 409, meaning: 'The prize is prepaid already; further prizes are prepaid with the adoptions they pay.', remedy: 'Publish the competition.' },
  PRIZE_NOT_PREPAID: { status: 409, meaning: 'A competition is published only once its prize is prepaid.', remedy: 'Prepay the prize first.' },
  PRIZE_AMOUNT_MISMATCH: { status: 409, meaning: 'A prize must be prepaid exactly at its gross.', remedy: 'Prepay the prizeGross the competition shows.' },
  PRIZE_PREPAYMENT_REQUIRED: { status: 409, meaning: 'Every prize prepaid is adopted: a further adoption needs its own prize prepaid with it.', remedy: 'Send the adoption with a prepayment of the prize gross.' },
  PRIZE_PREPAYMENT_NOT_DUE: { status: 409, meaning: 'A prepaid prize waits for this adoption: no further prepayment is taken.', remedy: 'Send the adoption without a prepayment.' },
  ADOPTION_REQUIRED: {
    status: 409,
    meaning: 'Workers entered on the prepaid prize: without an adoption the client may not close the competition and take the prize back.',
    remedy: 'Adopt a proposal, or ask support to find that no proposal met the brief.',
  },
};
