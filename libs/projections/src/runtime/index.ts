export * from './backoff';
export * from './checkpoints';
export * from './passive-projection-reader';
export * from './projection-engine';
export * from './reactor';
export * from './read-model-database';
export * from './upcaster';
export * from './store-binding';
