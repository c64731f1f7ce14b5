export * from './money';
export * from './order-state';
export * from './errors';
export * from './id-number';
export * from './china-time';
export * from './contract';
