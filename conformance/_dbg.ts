import { ConnectivityAnalysis } from '../src/analysis';
const a = ConnectivityAnalysis.fromFiles(['/work/shared/conformance/cilium-engine/gen-0006/in'], { cni: 'kubernetes' });
for (const d of a.deviations) { console.log(d.id, d.policies); for (const c of d.differences) if (c.source.startsWith('delta/auth2')) console.log('  ', c); }
const b = ConnectivityAnalysis.fromFiles(['/work/shared/conformance/cilium-engine/gen-0006/in'], { cni: 'cilium' });
console.log(b.connections().filter(c => c.source.startsWith('delta/auth2') && c.destination.startsWith('10.100')));
console.log(a.connections().filter(c => c.source.startsWith('delta/auth2') && c.destination.startsWith('10.100')));
