/**
 * Reports returned as one string stop at V8's string limit (about 512 million characters, 2^29 - 24
 * on 64-bit Node); past it, building one throws `RangeError: Invalid string length`. The report
 * functions check the size as they join and say what to do instead: stream the report (the CLI
 * writes txt, csv, md and json a chunk at a time, whatever the size) or narrow it with a focus.
 */
import { constants } from 'buffer';
import { QueryError } from '../errors';

/** The longest report string built (V8's limit; tests lower it). @internal */
export const REPORT_LIMITS = { maxLength: constants.MAX_STRING_LENGTH };

/** A report larger than one string may hold (a usage error: another format or a focus is needed). */
export class ReportTooLargeError extends QueryError {}

const STREAMED = ['txt', 'csv', 'md', 'json'];

function tooLarge(format: string, size: string): ReportTooLargeError {
  const streamed = STREAMED.includes(format);
  return new ReportTooLargeError(`format ${format}: the report is ${size}, more than one string can hold (${REPORT_LIMITS.maxLength} characters); `
    + 'narrow it with focusWorkloads, focusWorkloadPeers, focusDirection or focusConnection'
    + (streamed
      ? `, or write it with the CLI (\`cdk8s-netpol analyze --format ${format} --output FILE\`), which streams it a chunk at a time`
      : ', or use --format txt, csv, md or json, which the CLI streams a chunk at a time'));
}

/** The chunks joined, or a ReportTooLargeError as soon as they exceed REPORT_LIMITS (before the join). */
export function joinReport(chunks: Iterable<string>, format: string): string {
  const parts: string[] = [];
  let length = 0;
  for (const c of chunks) {
    length += c.length;
    if (length > REPORT_LIMITS.maxLength) throw tooLarge(format, `over ${length} characters`);
    parts.push(c);
  }
  return parts.join('');
}

/** A report built as one string by `build`, with V8's `Invalid string length` turned into a ReportTooLargeError. */
export function buildReport(format: string, build: () => string): string {
  let text: string;
  try {
    text = build();
  } catch (e) {
    if (e instanceof RangeError && /Invalid string length/.test(e.message)) throw tooLarge(format, 'too large');
    throw e;
  }
  if (text.length > REPORT_LIMITS.maxLength) throw tooLarge(format, `${text.length} characters`);
  return text;
}
