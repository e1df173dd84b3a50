export const WALLET_STREAM_PREFIX = 'wallet-';

export const walletStreamId = (accountId: string): string => WALLET_STREAM_PREFIX + accountId;

/** The account id of a wallet stream id, or undefined for any other stream. */
export const accountIdOfWalletStream = (streamId: string): string | undefined =>
  streamId.startsWith(WALLET_STREAM_PREFIX) ? streamId.slice(WALLET_STREAM_PREFIX.length) : undefined;
