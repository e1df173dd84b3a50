export * from './commands';
export * from './events';
export * from './policy';
export * from './view';
export * from './movements';
export { taskStreamId, TASK_STREAM_PREFIX } from './stream';
export { type TaskState, type TaskStatus, type SubmissionState, type SubmissionStatus, initialTaskState, isTaskParty, openSlotsOf, taskStanding } from './state';
export { evolveTask } from './evolve';
export { decideTask, taskDecider } from './decider';
