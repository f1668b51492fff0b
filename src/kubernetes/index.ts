export * from './network-policy';
export { PolicyType } from '../render/kubernetes';
export * from './cluster-network-policy';
