export * from './selector';
export * from './cidr';
export * from './port';
export * from './peers';
