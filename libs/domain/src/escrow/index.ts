export * from './movement';
export * from './money';
export * from './wallet-credit';
export * from './format-movements';
export * from './closure';
