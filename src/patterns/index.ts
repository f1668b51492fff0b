export * from './kubernetes';
export * from './recipes';
export * from './cilium';
export * from './cluster-policy';
