/**
 * Where the resource a 201 answer created can be read, by route: the `Location` of the answer. Each route
 * that answers 201 has an entry (the HTTP conventions spec checks every one against the access matrix's
 * routes), built from the route's path parameters and the answer's body.
 */
type LocationBuilder = (params: Record<string, string>, body: Record<string, unknown>) => string | undefined;

const segment = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? encodeURIComponent(value) : undefined);

const at = (prefix: string, id: unknown): string | undefined => {
  const encoded = segment(id);
  return encoded === undefined ? undefined : `${prefix}/${encoded}`;
};

export const CREATED_LOCATIONS: Readonly<Record<string, LocationBuilder>> = {
  'POST /v1/contracts': (_, body) => at('/v1/contracts', body.contractId),
  // A change of terms and a contact reminder live in their contract: it shows them, pending or decided.
  'POST /v1/contracts/:contractId/terms-changes': (params) => at('/v1/contracts', params.contractId),
  'POST /v1/contracts/:contractId/contact-reminders': (params) => at('/v1/contracts', params.contractId),
  // A bank account is shown (masked) in its account.
  'POST /v1/accounts/:accountId/bank-accounts': (params) => at('/v1/accounts', params.accountId),
  'POST /v1/accounts/:accountId/withdrawals': (_, body) => at('/v1/withdrawals', body.withdrawalId),
  // A task's submission lives in its task, which shows it with its decision.
  'POST /v1/tasks': (_, body) => at('/v1/tasks', body.taskId),
  'POST /v1/tasks/:taskId/submissions': (params) => at('/v1/tasks', params.taskId),
  // A proposal lives in its competition.
  'POST /v1/competitions': (_, body) => at('/v1/competitions', body.competitionId),
  'POST /v1/competitions/:competitionId/proposals': (params) => at('/v1/competitions', params.competitionId),
  'POST /v1/hourly-contracts': (_, body) => at('/v1/hourly-contracts', body.contractId),
};

/** The Location of a 201 answer of `method` on the route `routeUrl` (Fastify's `:param` form), when it has one. */
export function locationOfCreated(method: string, routeUrl: string, params: Record<string, string>, body: Record<string, unknown>): string | undefined {
  const route = routeUrl.length > 1 ? routeUrl.replace(/\/+$/, '') : routeUrl;
  return CREATED_LOCATIONS[`${method} ${route}`]?.(params, body);
}
