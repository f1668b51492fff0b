export * from './kubernetes';
export * from './recipes';
