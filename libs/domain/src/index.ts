export * from './shared/actor';
export * from './shared/decider';
export * from './shared/domain-error';
export * from './money';
export * from './contract';
export * from './calendar';
export * from './wallet';
export * from './account';
