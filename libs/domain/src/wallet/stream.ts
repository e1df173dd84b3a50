export const WALLET_STREAM_PREFIX = 'wallet-';

export const walletStreamId = (accountId: string): string => WALLET_STREAM_PREFIX + accountId;
