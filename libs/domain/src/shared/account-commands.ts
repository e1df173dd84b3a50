import { epochMillisOf } from '../calendar/civil-time';
import type { Actor } from './actor';
import { refuseFieldErrors, required } from './field-errors';

/** What every command on an account's own streams (its wallet and its account stream) must name. */
export interface AccountStreamCommand {
  accountId: string;
  actor: Actor;
  /** ISO-8601 instant with offset. */
  at: string;
}

/** Refuses a command that does not name its account and actor, or whose time is not an instant. */
export function requireAccountStreamCommand(command: AccountStreamCommand): void {
  refuseFieldErrors([...required('accountId', command.accountId), ...required('actor.id', command.actor?.id)]);
  epochMillisOf(command.at);
}
