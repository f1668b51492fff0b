export * from './rule';
export * from './policy';
export * from './visibility';
export * from './cidr-group';
