export * as k8s from './imports/k8s';
export * from './model';
export * from './kubernetes';
export * from './model/cilium';
export * from './cilium';
export * from './analysis';
export * from './patterns';
export * from './lint';
