export * from './analysis';
export * from './diff';
