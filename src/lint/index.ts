export * from './types';
export { Linter } from './linter';
export * from './synth';
