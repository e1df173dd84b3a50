export const ACCOUNT_STREAM_PREFIX = 'account-';

export const accountStreamId = (accountId: string): string => ACCOUNT_STREAM_PREFIX + accountId;
