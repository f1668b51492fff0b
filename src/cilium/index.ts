export * from './rule';
export * from './policy';
