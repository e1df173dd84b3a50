export * from './completion-rate';
export * from './completion-rates.projection';
export * from './completion-rates.queries';
