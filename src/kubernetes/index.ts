export * from './network-policy';
export { PolicyType } from '../render/kubernetes';
