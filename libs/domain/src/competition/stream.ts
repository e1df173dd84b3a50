export const COMPETITION_STREAM_PREFIX = 'competition-';

export const competitionStreamId = (competitionId: string): string => COMPETITION_STREAM_PREFIX + competitionId;
