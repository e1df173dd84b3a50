export const TASK_STREAM_PREFIX = 'task-';

export const taskStreamId = (taskId: string): string => TASK_STREAM_PREFIX + taskId;
