export * from './analysis';
export * from './diff';
export * from './expectations';
