export * as k8s from './imports/k8s';
export * from './model';
export * from './kubernetes';
export * from './model/cilium';
export * from './cilium';
export * from './analysis';
export * from './patterns';
// Loading the lint also installs the synth-time lint for every chart with a policy construct
// (src/lint/synth.ts); deep imports of lib/kubernetes or lib/cilium alone do not load it.
export * from './lint';
export * from './plugin';
