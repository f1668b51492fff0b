// Fail loudly, before any test, when ../shared is not beside the project.
const fs = require('fs');
const path = require('path');
module.exports = async () => {
  const shared = path.resolve(__dirname, '..', '..', 'shared');
  for (const sub of ['schemas/kubernetes-v1.33/_definitions.json', 'schemas/cilium-v1.18', 'conformance/netpol-analyzer']) {
    if (!fs.existsSync(path.join(shared, sub))) {
      throw new Error(`conformance needs ${path.join(shared, sub)}: clone the project beside ../shared (see README, "Conformance").`);
    }
  }
};
