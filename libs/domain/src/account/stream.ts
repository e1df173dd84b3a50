export const ACCOUNT_STREAM_PREFIX = 'account-';

export const accountStreamId = (accountId: string): string => ACCOUNT_STREAM_PREFIX + accountId;

/** The account id of an account stream id, or undefined for any other stream. */
export const accountIdOfAccountStream = (streamId: string): string | undefined =>
  streamId.startsWith(ACCOUNT_STREAM_PREFIX) ? streamId.slice(ACCOUNT_STREAM_PREFIX.length) : undefined;
