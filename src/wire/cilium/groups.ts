/** Cilium `toGroups`/`fromGroups` (pkg/policy/api groups.go): cloud provider groups (AWS only). */
export interface AWSGroup {
  readonly labels?: { readonly [key: string]: string };
  readonly securityGroupsIds?: readonly string[];
  readonly securityGroupsNames?: readonly string[];
  readonly region?: string;
}

export interface Groups {
  readonly aws?: AWSGroup;
}
