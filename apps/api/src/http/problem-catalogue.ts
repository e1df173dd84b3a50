import { COMPETITION_PROBLEMS } from '../competitions/competition-problems';

/**
 * Every machine `code` a problem document can carry, with its HTTP status, what it means and what the caller
 * can do: the page its `type` URI (`/problems/<slug>`) serves. `problem-catalogue.spec.ts` scans the sources
 * and fails on a code thrown anywhere that is missing here.
 */
export interface ProblemCodeEntry {
  status: number;
  meaning: string;
  remedy: string;
}

const entry = (status: number, meaning: string, remedy: string): ProblemCodeEntry => ({ status, meaning, remedy });

const FIX_THE_FIELD = 'Correct the value named in `errors[].field` by the rule in `errors[].rule` and send the request again.';
const READ_FIRST = 'Read the resource to see its current state, and send the command only when the state allows it.';
const ASK_THE_RIGHT_ACTOR = 'Send the command as the actor the operation names (see docs/api.md), or not at all.';
const RETRY_LATER = 'Retry after the number of seconds in Retry-After; nothing was written.';

export const PROBLEM_CATALOGUE: Readonly<Record<string, ProblemCodeEntry>> = {
  // The HTTP edge: requests refused before any command or query runs.
  VALIDATION_FAILED: entry(400, 'The request has invalid fields, headers or query parameters; every one is listed in `errors` with its rule.', FIX_THE_FIELD),
  BAD_REQUEST: entry(400, 'The request could not be read as sent.', 'Check the request against the OpenAPI document and send it again.'),
  MALFORMED_BODY: entry(400, 'The body is not valid JSON, or names `__proto__` or `constructor.prototype`.', 'Send a valid JSON object as the body.'),
  BODY_TOO_DEEP: entry(400, 'Arrays and objects in the body nest deeper than the service allows (32 levels by default).', 'Send a flatter body; no command needs deep nesting.'),
  INVALID_URL_ENCODING: entry(400, 'The request path is not valid percent-encoded UTF-8.', 'Percent-encode the path as UTF-8.'),
  MALFORMED_REQUEST: entry(400, 'The request is not valid HTTP/1.1; the connection was closed.', 'Fix the HTTP client; send a well-formed request on a new connection.'),
  UNAUTHENTICATED: entry(401, 'No bearer token, or one no configured calling service holds.', 'Send `Authorization: Bearer <token>` with the token of your calling service.'),
  FORBIDDEN: entry(403, 'The caller may not do this.', ASK_THE_RIGHT_ACTOR),
  ROLE_NOT_GRANTED: entry(403, 'The calling service may not act in the role named by `X-Actor-Role`.', 'Use a role listed in `grantedRoles`, or ask the operators to grant the role to the calling service.'),
  READ_ONLY_ROLE: entry(403, 'A command from the `auditor` role, which only reads.', 'Send commands as a user, support or system actor.'),
  NOT_A_PARTY: entry(403, 'A read of a contract, account, withdrawal or ledger account the actor is not party to.', 'Read only what the actor is party to; staff roles read everything.'),
  OPERATIONS_ONLY: entry(403, 'A read of the service\'s metrics by a role other than system or auditor.', 'Scrape /metrics as a monitoring system (role system) or an auditor.'),
  STAFF_ONLY: entry(403, 'A read of platform-wide data by a user.', 'Read it as support, system or auditor.'),
  ROUTE_NOT_AUTHORISED: entry(403, 'The route has no access policy, so nobody may call it.', 'Report it to the operators of the service: it is a fault of the service.'),
  NOT_FOUND: entry(404, 'Nothing is at this address.', 'Check the path and the ids in it.'),
  PROBLEM_TYPE_NOT_FOUND: entry(404, 'No problem type page has this name.', 'Use the `type` of a problem the service answered with; the codes are listed in docs/api.md.'),
  ROUTE_NOT_FOUND: entry(404, 'No route has this path.', 'Check the path against the OpenAPI document.'),
  NOT_SERVED_BY_ROLE: entry(404, 'This process runs the background processors only and answers nothing but /health.', 'Send commands and queries to an API process.'),
  METHOD_NOT_ALLOWED: entry(405, 'The path exists, but not for this method.', 'Use one of the methods in the `Allow` header.'),
  NOT_ACCEPTABLE: entry(406, 'The `Accept` header allows none of the formats the route answers in (listed in `available`).', 'Send an `Accept` the route can answer (see docs/api.md), or none for its default, JSON.'),
  REQUEST_TIMEOUT: entry(408, 'The headers or the whole request did not arrive in time; the connection was closed.', 'Send the whole request promptly on a new connection.'),
  PAYLOAD_TOO_LARGE: entry(413, 'The body is larger than the service accepts (1 MiB by default).', 'Send a smaller body.'),
  URI_TOO_LONG: entry(414, 'The request target, or one segment of its path, is longer than the service accepts.', 'Send a shorter path and query; ids are at most 128 characters.'),
  UNSUPPORTED_MEDIA_TYPE: entry(415, 'The body is not `application/json` (or has no content type).', 'Send the body as JSON with `Content-Type: application/json`.'),
  HEADERS_TOO_LARGE: entry(431, 'The request line and headers are larger than 16 KiB; the connection was closed.', 'Send fewer or shorter headers.'),
  TOO_MANY_REQUESTS: entry(429, 'The caller sends more than the service takes at once.', RETRY_LATER),
  TOO_MANY_STREAMS: entry(429, 'The calling service already holds as many open event streams as it may.', 'Close one of its event streams before opening another; retry after Retry-After.'),
  INTERNAL_ERROR: entry(500, 'An unexpected fault of the service; it is logged with the request id.', 'Retry with the same Idempotency-Key; if it persists, report the `requestId` to the operators.'),
  STORE_UNAVAILABLE: entry(503, 'The storage cannot take the request now (unreachable store, full disk, I/O error); nothing was written.', RETRY_LATER),
  PROJECTION_BEHIND: entry(503, 'The read models have not reached the asked `minPosition` in time.', RETRY_LATER),
  SHUTTING_DOWN: entry(503, 'The service is shutting down and opens no new event stream.', 'Reconnect after Retry-After, from the last event id received.'),
  EXPORTS_BUSY: entry(503, 'As many exports as the instance runs at once (EXPORT_MAX_CONCURRENT) are running; this one did not start.', RETRY_LATER),
  SERVICE_STOPPING: entry(503, 'The service is stopping; nothing was done.', RETRY_LATER),

  // The command pipeline.
  STALE_REVISION: entry(412, 'If-Match does not hold: the stream is at another revision (`currentRevision`), the tags were weak, or `*` named a stream with no event.', 'Read the resource again, check the change still makes sense, and send it with the new ETag.'),
  CONCURRENCY_CONFLICT: entry(409, 'Concurrent changes to the same stream won every attempt.', 'Send the same command again (with the same Idempotency-Key).'),
  IDEMPOTENCY_KEY_REUSED: entry(422, 'The Idempotency-Key was used before, by this caller, with another request.', 'Use a new key for a new request; a retry must repeat the first request exactly.'),

  // Wrong actor, per decider.
  ROLE_NOT_ALLOWED: entry(403, 'The actor\'s role may not issue this contract command.', ASK_THE_RIGHT_ACTOR),
  NOT_CONTRACT_CLIENT: entry(403, 'Only the contract\'s client may issue this command.', ASK_THE_RIGHT_ACTOR),
  NOT_CONTRACT_WORKER: entry(403, 'Only the contract\'s worker may issue this command.', ASK_THE_RIGHT_ACTOR),
  NOT_CONTRACT_PARTY: entry(403, 'Only a party to the contract may issue this command.', ASK_THE_RIGHT_ACTOR),
  CANNOT_ANSWER_OWN_PROPOSAL: entry(403, 'A change of terms is answered by the counterparty, not by the party who proposed it.', 'Let the counterparty accept or reject it.'),
  CANNOT_ANSWER_OWN_REQUEST: entry(403, 'A termination is answered by the counterparty, not by the party who requested it.', 'Let the counterparty accept or reject it.'),
  ACTOR_NOT_ALLOWED: entry(403, 'The actor may not issue this wallet, withdrawal or account command.', ASK_THE_RIGHT_ACTOR),

  // Not found.
  CONTRACT_NOT_FOUND: entry(404, 'No contract has this id.', 'Check the id; a contract exists from its offer on.'),
  MILESTONE_NOT_FOUND: entry(404, 'The contract has no milestone with this id.', 'Read the contract for its milestone ids.'),
  TERMS_CHANGE_NOT_FOUND: entry(404, 'The contract has no change of terms with this id.', 'Read the contract for its pending change of terms.'),
  CONTACT_REMINDER_NOT_FOUND: entry(404, 'The contract has no contact reminder with this id.', 'Read the contract for its contact reminders.'),
  BANK_ACCOUNT_NOT_FOUND: entry(404, 'No bank account with this id is registered to the account.', 'Register the bank account first, or use one the account shows.'),
  WITHDRAWAL_NOT_FOUND: entry(404, 'No withdrawal has this id.', 'Use the `withdrawalId` the withdrawal request answered with.'),
  LEDGER_ACCOUNT_NOT_FOUND: entry(404, 'No ledger account has this name.', 'Use a name from the trial balance (`wallet:<id>`, `escrow:<id>`, ...).'),
  PARKED_EVENT_NOT_FOUND: entry(404, 'No parked event has this id.', 'List the parked events for their ids.'),
  TREE_HEAD_NOT_FOUND: entry(404, 'No tree head of this size was published (or none yet at all).', 'List the published heads (`GET /v1/audit/tree-heads`) and ask for one of their sizes.'),
  SIGNING_KEY_NOT_FOUND: entry(404, 'No tree head was signed with a key of this id (or no key is known yet).', 'Use the `keyId` of a published tree head.'),

  // Bad values, from the deciders.
  INVALID_AMOUNT: entry(400, 'An amount is not a whole number of yen within its bounds.', FIX_THE_FIELD),
  INVALID_TITLE: entry(400, 'A title is empty, too long or holds control characters.', FIX_THE_FIELD),
  INVALID_REASON: entry(400, 'A reason is empty, too long or holds control characters.', FIX_THE_FIELD),
  INVALID_DURATION: entry(400, 'A period is not a whole positive number of milliseconds.', FIX_THE_FIELD),
  INVALID_MESSAGE: entry(400, 'A message is too long or holds control characters.', FIX_THE_FIELD),
  INVALID_ID: entry(400, 'An id is not 1-128 letters, digits, `.`, `_`, `:` or `-`.', FIX_THE_FIELD),
  INVALID_ACCOUNT_ID: entry(400, 'An account id is not a valid id.', FIX_THE_FIELD),
  INVALID_DATE: entry(400, 'A date is not a real calendar date `YYYY-MM-DD` within 2000-2100.', FIX_THE_FIELD),
  INVALID_DUE_DATE: entry(400, 'A due date is not a real calendar date `YYYY-MM-DD` within 2000-2100.', FIX_THE_FIELD),
  INVALID_INSTANT: entry(400, 'An instant is not an ISO-8601 instant with its offset within 2000-2100.', FIX_THE_FIELD),
  INVALID_TIMESTAMP: entry(400, 'The time of the command is not an ISO-8601 instant with its offset.', FIX_THE_FIELD),
  INVALID_MILESTONE: entry(400, 'A milestone lacks a valid title, amount or due date.', FIX_THE_FIELD),
  INVALID_MILESTONE_COUNT: entry(400, 'A contract has 1 to 20 milestones; the request names fewer or more.', FIX_THE_FIELD),
  DUPLICATE_MILESTONE_ID: entry(400, 'The same milestone is named twice in one request.', FIX_THE_FIELD),
  INVALID_DELIVERABLES: entry(400, 'The deliverables are missing, too many, or not a list.', FIX_THE_FIELD),
  INVALID_DELIVERABLE_URI: entry(400, 'A deliverable URI is not an absolute https URI (or http on a loopback host), or carries credentials.', FIX_THE_FIELD),
  INVALID_SHA256: entry(400, 'A deliverable digest is not 64 hexadecimal digits.', FIX_THE_FIELD),
  INVALID_PAYMENT_METHOD: entry(400, 'The payment method is not `card`, `bank_transfer` or `invoice`.', FIX_THE_FIELD),
  INVALID_PAYMENT_REFERENCE: entry(400, 'The payment reference is empty, too long or holds control characters.', FIX_THE_FIELD),
  INVALID_SPLITS: entry(400, 'The splits of a termination are not a list of milestones with amounts to pay out, or come from a party rather than support.', FIX_THE_FIELD),
  INVALID_TERMS_CHANGE: entry(400, 'The change of terms names no valid milestone change.', FIX_THE_FIELD),
  EMPTY_AMENDMENT: entry(400, 'An amendment of the offer changes nothing.', 'Send at least one of title, milestones or feeSchedule.'),
  EMPTY_MILESTONE_CHANGE: entry(400, 'A milestone change names neither a new amount nor a new due date.', FIX_THE_FIELD),
  EMPTY_TERMS_CHANGE: entry(400, 'A change of terms changes nothing.', 'Send at least one change or new milestone.'),
  SAME_CLIENT_AND_WORKER: entry(400, 'The client and the worker of an offer are the same account.', 'Offer the contract to another account.'),
  UNKNOWN_FEE_SCHEDULE: entry(400, 'No fee schedule has this id.', 'Use a schedule id the fee quote lists, or omit it for the default.'),
  UNKNOWN_COMMAND: entry(400, 'The command is not one the decider knows.', 'Report it to the operators of the service: it is a fault of the caller\'s integration or of the service.'),
  INVALID_WITHDRAWAL_MODE: entry(400, 'The withdrawal mode is not `standard` or `quick`.', FIX_THE_FIELD),
  WITHDRAWAL_BELOW_MINIMUM: entry(400, 'A withdrawal is below the ¥1,000 minimum.', 'Withdraw at least ¥1,000, or forfeit a smaller balance explicitly.'),
  WITHDRAWAL_FEES_EXCEED_AMOUNT: entry(400, 'The fees of the withdrawal would take all of its amount.', 'Withdraw a larger amount, or use the standard mode.'),
  PAYOUT_TOO_SMALL_FOR_FEE: entry(400, 'The amount to pay out is smaller than its system fee.', 'Pay out a larger amount.'),
  DATE_OUTSIDE_BUSINESS_CALENDAR: entry(400, 'A date falls outside the years the business calendar knows.', 'Use a date within the calendar\'s years.'),
  INVALID_BUSINESS_DAY_COUNT: entry(400, 'A count of business days is not a non-negative whole number.', FIX_THE_FIELD),
  EXPIRY_AS_OF_IN_FUTURE: entry(400, 'Balances are expired as of an instant in the future.', 'Expire as of now or a past instant.'),
  NOT_A_WITHDRAWAL_CUTOFF: entry(400, 'The date is not a withdrawal cut-off (the 15th or the last day of a month).', 'Name a 15th or a month end.'),
  INVALID_EXPIRY_NOTICE: entry(400, 'An expiry notice is given 30 or 7 days before the expiry, no other number of days.', 'Name 30 or 7 days.'),
  EXPIRY_NOTICE_NOT_DUE: entry(409, "An expiry notice was asked for before its day (30 or 7 days before the expiry).", 'Give it on or after its day; the service gives it by itself when balances expire when due.'),

  // The command does not fit the current state (409).
  CONTRACT_ALREADY_EXISTS: entry(409, 'A contract with this id exists already.', 'Offer with a new Idempotency-Key, or read the existing contract.'),
  OFFER_NOT_OPEN: entry(409, 'The offer was already accepted, declined or withdrawn.', READ_FIRST),
  CONTRACT_NOT_ACTIVE: entry(409, 'The contract is not active (not yet accepted, completed or terminated).', READ_FIRST),
  CLIENT_ACCOUNT_CLOSED: entry(409, 'The client\'s account is closed; it takes part in nothing new.', 'Nothing can be done for a closed account.'),
  WORKER_ACCOUNT_CLOSED: entry(409, 'The worker\'s account is closed; it takes part in nothing new.', 'Nothing can be done for a closed account.'),
  FEE_SCHEDULE_NOT_FOUND: entry(409, 'The contract\'s fee schedule is not known to this service.', 'Report it to the operators of the service.'),
  FEE_SCHEDULE_NOT_IN_FORCE: entry(409, 'The fee schedule is not in force at the time of acceptance.', 'Amend the offer to a schedule in force, or omit it for the default.'),
  TOO_MANY_MILESTONES: entry(409, 'The change would give the contract more than 20 milestones.', 'Propose fewer new milestones.'),
  MILESTONE_ALREADY_EXISTS: entry(409, 'A milestone with this id exists already.', READ_FIRST),
  MILESTONE_NOT_FUNDED: entry(409, 'The milestone is not funded: work may not be delivered on it, nor escrow released.', 'Prepay the milestone first.'),
  MILESTONE_ALREADY_FUNDED: entry(409, 'The milestone is funded already.', READ_FIRST),
  FUNDING_AMOUNT_MISMATCH: entry(409, 'A prepayment must be exactly the milestone\'s gross (or the extra a raised amount needs).', 'Prepay the amount the contract shows as due.'),
  ADDITIONAL_FUNDING_REQUIRED: entry(409, 'The milestone\'s amount was raised: the difference must be funded first.', 'Prepay the additional amount.'),
  PAYMENT_REFERENCE_ALREADY_USED: entry(409, 'The payment reference funded another milestone already.', 'Use the reference of the payment made for this milestone.'),
  PAYMENT_REFERENCE_IN_USE: entry(409, 'The payment reference is held by another prepayment being recorded.', 'Retry shortly, or use another payment\'s reference.'),
  MILESTONE_NOT_DELIVERED: entry(409, 'The milestone has no delivery to inspect or to ask a revision of.', READ_FIRST),
  MILESTONE_ALREADY_DELIVERED: entry(409, 'The milestone was delivered already and waits for inspection.', READ_FIRST),
  MILESTONE_NOT_INSPECTED: entry(409, 'The milestone is not inspected, so its escrow cannot be paid out.', 'Inspect the delivery first.'),
  MILESTONE_ALREADY_INSPECTED: entry(409, 'The milestone was inspected already.', READ_FIRST),
  MILESTONE_ALREADY_PAID_OUT: entry(409, 'The milestone was paid out already.', READ_FIRST),
  MILESTONE_CLOSED: entry(409, 'The milestone is paid out, refunded or cancelled: nothing more can happen to it.', READ_FIRST),
  INSPECTION_GRACE_NOT_ELAPSED: entry(409, 'Support may inspect on the client\'s behalf only after 7 days of silence since the delivery.', 'Wait until 7 days have passed since the delivery.'),
  AUTO_INSPECTION_PERIOD_OPEN: entry(409, 'The client may still inspect the delivery or ask for a revision before the service inspects it.', 'Wait until `eligibleAt`, the automatic inspection period after the latest delivery.'),
  REFUND_EXCEEDS_ESCROW: entry(409, 'The refund is more than the milestone\'s escrow.', 'Refund at most the escrow the contract shows.'),
  SPLIT_EXCEEDS_ESCROW: entry(409, 'A split pays out more than the milestone\'s escrow.', 'Split at most the escrow the contract shows.'),
  PAYOUT_BELOW_FEE: entry(409, 'The payout would be smaller than its system fee.', 'Pay out a larger amount.'),
  TERMS_CHANGE_PENDING: entry(409, 'A change of terms is pending already.', 'Let the counterparty answer it first.'),
  TERMS_CHANGE_ID_ALREADY_USED: entry(409, 'A change of terms with this id exists already.', 'Propose with a new Idempotency-Key.'),
  TERMINATION_PENDING: entry(409, 'A termination is requested already and waits for an answer.', 'Let the counterparty answer it first.'),
  TERMINATION_NOT_REQUESTED: entry(409, 'No termination is pending to accept or reject.', READ_FIRST),
  TERMINATION_ANSWERED: entry(409, 'The termination request was answered, or another took its place, before it could complete unanswered.', READ_FIRST),
  TERMINATION_ANSWER_PERIOD_OPEN: entry(409, 'The other party may still answer the termination request.', 'Wait until the answer period (`answerBy`) is over.'),
  CONTACT_REMINDER_PENDING: entry(409, 'A contact reminder of this party is pending already.', 'Wait for support to decide it.'),
  CONTACT_REMINDER_ALREADY_EXISTS: entry(409, 'A contact reminder with this id exists already.', READ_FIRST),
  CONTACT_REMINDER_ALREADY_DECIDED: entry(409, 'Support approved or denied the contact reminder already.', READ_FIRST),
  INSUFFICIENT_BALANCE: entry(409, 'The withdrawal is more than the available balance.', 'Withdraw at most the available balance the wallet shows.'),
  CREDIT_SOURCE_CONFLICT: entry(409, 'The wallet holds another credit for the same source.', 'Report it to the operators of the service: a source is credited once.'),
  WALLET_CLOSED: entry(409, 'The wallet of a closed account takes no new credit.', 'Nothing can be done for a closed account.'),
  WALLET_ACCOUNT_MISMATCH: entry(409, 'The command names another account than its wallet\'s.', 'Send it to the wallet of the account it is about.'),
  WITHDRAWAL_ALREADY_EXISTS: entry(409, 'A withdrawal with this id exists already.', 'Request with a new Idempotency-Key.'),
  WITHDRAWAL_ID_TAKEN: entry(409, 'The withdrawal id belongs to another account.', 'Request with a new Idempotency-Key.'),
  WITHDRAWAL_NOT_IN_REVIEW: entry(409, 'The withdrawal is not in review, so it cannot be approved, rejected or asked about.', READ_FIRST),
  WITHDRAWAL_INFO_NOT_REQUESTED: entry(409, 'Support has not asked for information on this withdrawal.', READ_FIRST),
  WITHDRAWAL_INFO_ALREADY_PROVIDED: entry(409, 'The latest request for information on this withdrawal was answered already.', 'Wait for support to decide, or to ask again.'),
  WITHDRAWAL_NOT_SCHEDULED: entry(409, 'The withdrawal is not scheduled for transfer, so no transfer can be reported.', READ_FIRST),
  WITHDRAWAL_NOT_IN_PAYOUT_RUN: entry(409, 'The withdrawal is not due on the payout date of the run the report was sent for.', 'Report it with the run of its payout date (GET /v1/payout-runs/{payoutDate}).'),
  PAYOUT_RUN_NOT_FOUND: entry(404, 'No withdrawal is due on this payout date, so there is no run.', 'List the runs (GET /v1/payout-runs) and use a payout date they name.'),
  CUTOFF_NOT_REACHED: entry(409, 'The withdrawal cut-off has not fallen yet (Tokyo midnight at the end of its closing date).', 'Apply it once it has fallen.'),
  NOTHING_TO_FORFEIT: entry(409, 'The wallet holds no balance to forfeit.', READ_FIRST),
  BALANCE_WITHDRAWABLE: entry(409, 'The balance is at least the withdrawal minimum: it is withdrawn, not forfeited.', 'Request a withdrawal instead.'),
  BANK_ACCOUNT_ALREADY_REGISTERED: entry(409, 'This bank account is registered to the account already.', 'Use the registered bank account\'s id.'),
  ACCOUNT_CLOSED: entry(409, 'The account is closed; closure is final.', 'Nothing can be done for a closed account.'),
  ACCOUNT_MISMATCH: entry(409, 'The command names another account than its stream\'s.', 'Send it for the account it is about.'),
  ACCOUNT_CLOSURE_BLOCKED: entry(409, 'The account cannot be closed yet; every reason is listed.', 'Settle every listed reason (see the closure eligibility), then close again.'),
  PARKED_EVENT_RESOLVED: entry(409, 'The parked event was resolved already; nothing was delivered.', 'Nothing to do.'),
  PARKED_EVENT_NOT_IN_LOG: entry(409, 'The parked event is no longer in the log.', 'Report it to the operators of the service.'),
  // Tasks (タスク形式).
  TASK_NOT_FOUND: entry(404, 'No task has this id.', 'Check the id; a task exists from its posting on.'),
  TASK_ALREADY_POSTED: entry(409, 'A task with this id was posted already.', 'Post with a new Idempotency-Key.'),
  NOT_TASK_CLIENT: entry(403, 'Only the client who posted the task may do this.', ASK_THE_RIGHT_ACTOR),
  TASK_CLIENT_MAY_NOT_SUBMIT: entry(403, 'The client of a task may not submit work to it.', ASK_THE_RIGHT_ACTOR),
  INVALID_UNIT_PRICE: entry(400, 'The unit price is not a whole number of yen from ¥5 to ¥1,000,000.', FIX_THE_FIELD),
  INVALID_SLOTS: entry(400, 'The number of slots is not a whole number from 1 to 1,000.', FIX_THE_FIELD),
  INVALID_APPLICATION_DEADLINE: entry(400, 'The application deadline is not after the posting, or more than 90 days after it.', FIX_THE_FIELD),
  INVALID_CONTENT: entry(400, 'The submission\'s content is empty, too long or holds control characters.', FIX_THE_FIELD),
  TASK_NOT_OPEN: entry(409, 'The task is closed or settled: it takes no submission and cannot be closed again.', READ_FIRST),
  TASK_APPLICATION_CLOSED: entry(409, 'The task\'s application deadline has passed.', 'Submit to another task.'),
  TASK_NO_OPEN_SLOT: entry(409, 'Every slot of the task is approved or awaiting a decision.', 'Submit again when a rejection reopens a slot, or to another task.'),
  SUBMISSION_ALREADY_EXISTS: entry(409, 'A submission with this id was made already.', 'Submit with a new Idempotency-Key.'),
  SUBMISSION_NOT_FOUND: entry(404, 'The task has no submission with this id.', 'Check the ids (GET /v1/tasks/{taskId}).'),
  SUBMISSION_NOT_PENDING: entry(409, 'The submission was approved or rejected already.', READ_FIRST),
  TASK_REJECTION_CAP_REACHED: entry(
    409,
    'The client has rejected as many submissions of this task as the rejection cap allows: max(3, floor(30% of the approved submissions)); `details` names the rule, the counts and the cap.',
    'Approve the submission, or approve others first: each approval can raise the cap.',
  ),
  TASK_REVIEW_PERIOD_OVER: entry(409, 'Two weeks have passed since the application deadline: pending submissions are approved automatically, not rejected.', READ_FIRST),
  TASK_REVIEW_PERIOD_NOT_OVER: entry(409, 'Pending submissions are approved automatically only two weeks after the application deadline.', 'Wait until autoApprovalAt.'),
  TASK_ALREADY_SETTLED: entry(409, 'The task is settled: every slot is paid out or refunded.', READ_FIRST),
  REACTOR_NOT_RUNNING: entry(409, 'The background process of the parked event does not run in this process.', 'Retry on a process that runs the processors.'),

  ...COMPETITION_PROBLEMS,
};

/** The page a problem `type` names: `/problems/milestone-not-funded` for MILESTONE_NOT_FUNDED. */
export const slugOfCode = (code: string): string => code.toLowerCase().replace(/_/g, '-');

const CODE_OF_SLUG = new Map(Object.keys(PROBLEM_CATALOGUE).map((code) => [slugOfCode(code), code]));

export const codeOfSlug = (slug: string): string | undefined => CODE_OF_SLUG.get(slug);
