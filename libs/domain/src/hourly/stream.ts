export const HOURLY_STREAM_PREFIX = 'hourly-';

export const hourlyStreamId = (contractId: string): string => HOURLY_STREAM_PREFIX + contractId;
