export * as k8s from './imports/k8s';
export * from './analysis';
