export { allTimers, EXPIRY_NOTICE_DAYS_BEFORE, expiryNoticeTimerId, expiryTimerId, inspectionTimerId, pendingTimers, settlementTimerId, terminationTimerId, TIMER_KINDS, timerById, TIMERS_PROJECTION, timersProjection, upcomingTimers, withdrawalCutoffTimerId } from './timers.projection';
export type { ScheduleKey, Timer, TimerKind, TimerState } from './timers.projection';
export { taskAutoApprovalTimerId } from './task-timers';
export { hourlyWeekTimerId } from './hourly-timers';
