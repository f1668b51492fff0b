/**
 * Builds the library's validation error: it names the field, the value and the fix,
 * e.g. `IpBlock.cidr: "10.0.0.0/33" is not a valid CIDR; use a prefix length from 0 to 32`.
 * @internal
 */
export function invalid(field: string, value: unknown, problem: string, fix?: string): Error {
  const shown = typeof value === 'string' ? JSON.stringify(value) : safeJson(value);
  return new Error(`${field}: ${shown} ${problem}${fix ? `; ${fix}` : ''}`);
}

function safeJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
