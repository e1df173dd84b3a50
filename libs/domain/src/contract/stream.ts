export const CONTRACT_STREAM_PREFIX = 'contract-';

export const contractStreamId = (contractId: string): string => CONTRACT_STREAM_PREFIX + contractId;
