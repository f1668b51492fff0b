/**
 * Limits the API server and Cilium apply: the one table of them.
 */

/** k8s.io/apimachinery validation: DNS-1123 label (namespace names, port names' cousins). */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** DNS-1123 subdomain (most object names). */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
/** Label values and the name part of qualified names (label and annotation keys). */
export const LABEL_VALUE_MAX_LENGTH = 63;
export const QUALIFIED_NAME_MAX_LENGTH = 63;
/** Total size of an object's annotations (ValidateAnnotationsSize: 256 KiB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
/** IANA service names used as port names: 1-15 characters (IsValidPortName). */
export const PORT_NAME_MAX_LENGTH = 15;
export const PORT_MIN = 1;
export const PORT_MAX = 65535;

/** Cilium pkg/policy/api rule_validation.go: ports per `toPorts` entry and ICMP fields per rule. */
export const CILIUM_MAX_PORTS_PER_RULE = 40;
export const CILIUM_MAX_ICMP_FIELDS = 40;

/** network-policy-api: priorities of AdminNetworkPolicy / ClusterNetworkPolicy. */
export const ADMIN_POLICY_PRIORITY_MIN = 0;
export const ADMIN_POLICY_PRIORITY_MAX = 1000;

/**
 * List limits of the v1alpha1 CRDs (network-policy-api v0.1.x `MaxItems`/`MaxLength`): rules per
 * direction, peers and ports per rule, networks and domain names per peer, rule name length.
 */
export const ADMIN_POLICY_V1ALPHA1_LIMITS = { rules: 100, peers: 100, ports: 100, networks: 25, domainNames: 25, ruleNameLength: 100 } as const;

/**
 * List limits of the ClusterNetworkPolicy v1alpha2 CRD (v0.2.x apis/v1alpha2
 * clusternetworkpolicy_types.go): rules per direction, peers and protocols per rule, networks
 * per peer, rule name length.
 */
export const CLUSTER_POLICY_LIMITS = { rules: 25, peers: 25, protocols: 25, networks: 25, ruleNameLength: 100 } as const;
