import { decodeBlockYaml } from '../../src/wire/yaml-block';
import { decodeYamlEvents } from '../../src/wire/yaml-decode';

/**
 * The block-subset reader (yaml-block.ts) must give exactly what go-yaml's reading (the full
 * scanner, parser and decoder) gives, or give up: it never reads a document the full reader rejects
 * or reads differently.
 */
export function agrees(src: string): { fast: boolean; problem?: string } {
  const fast = decodeBlockYaml(src, 0, src.length);
  if (!fast) return { fast: false };
  let full;
  try {
    full = decodeYamlEvents(src, 0, src.length);
  } catch (e) {
    return { fast: true, problem: `the full reader rejects it: ${(e as Error).message}` };
  }
  if (!full.found || full.explicitEnd || full.duplicates.length || full.mergeOverrides.length || full.aliasCount) {
    return { fast: true, problem: `the full reader reports more: ${JSON.stringify({ ...full, value: undefined })}` };
  }
  try {
    expect(fast.value).toStrictEqual(full.value);
    expect(JSON.stringify(fast.value)).toBe(JSON.stringify(full.value)); // key order too
    expect([fast.line, fast.col]).toEqual([full.line, full.col]);
  } catch (e) {
    return { fast: true, problem: (e as Error).message };
  }
  return { fast: true };
}

/** The documents of a YAML stream as the reader hands them to the decoder (split at `---` lines). */
export function yamlDocumentsOf(text: string): string[] {
  return text.split(/^---[ \t]*(?:#.*)?\r?$\n?/m).map((part) => (part.endsWith('\n') ? part : `${part}\n`));
}
