/**
 * CSV as Go's encoding/csv Writer writes it (netpol-analyzer's csv output): a field is quoted when
 * it contains the comma, a double quote, CR or LF, or starts with a space (Writer.fieldNeedsQuotes);
 * quotes inside are doubled; rows end with LF. A hand-written writer, because the output must match
 * Go's rules byte for byte (npm CSV writers quote by their own rules).
 */
function fieldNeedsQuotes(field: string): boolean {
  if (field === '') return false;
  if (field === '\\.') return true;
  if (/[,"\r\n]/.test(field)) return true;
  return /^\s/u.test(field);
}

export function csvRow(fields: readonly string[]): string {
  return fields.map((f) => (fieldNeedsQuotes(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',') + '\n';
}
