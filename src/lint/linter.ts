import {
  ciliumVersionFields, cnpSubjectNamespace, denyOnlyDefaultDeny, emptyLists, fqdnWithoutDnsProxy, namespacePlainLabels,
  serviceWithoutNamespace,
} from './checks-cilium';
import { POLICY_API_CHECKS } from './checks-cluster-policy';
import { identityFilteredLabel, ipBlockSelectsNamespacePods, negativeNamespaceSelector, rulesOutsidePolicyTypes } from './checks-deviations';
import { andOrPeers, duplicateRule, egressWithoutDns, emptyPeerList, implicitPolicyTypes, shadowedRule } from './checks-kubernetes';
import { egressNamedPortConflict, egressNamedPortUndeclaredPeers, peerMatchesNothing, selectsNoWorkload, undeclaredNamedPort } from './checks-workloads';
import { buildContext, LintCheck, LintObject, sortFindings } from './context';
import { toSarif } from './sarif';
import { LINT_IGNORE_ANNOTATION, LintCheckInfo, LintFinding, LintOptions, LintReport, LintSeverity, SarifOptions } from './types';
import { fromObjects, loadFiles, LoadResult } from '../analysis/load';
import { agentConfig } from '../analysis/semantics';
import { CiliumVersion } from '../model/cilium/versions';
import { readDocuments } from '../wire/reader';

const CHECKS: LintCheck[] = [
  egressWithoutDns, andOrPeers, duplicateRule, shadowedRule, emptyPeerList, implicitPolicyTypes,
  selectsNoWorkload, peerMatchesNothing, undeclaredNamedPort, egressNamedPortConflict, egressNamedPortUndeclaredPeers,
  negativeNamespaceSelector, rulesOutsidePolicyTypes, identityFilteredLabel, ipBlockSelectsNamespacePods,
  fqdnWithoutDnsProxy, namespacePlainLabels, emptyLists, denyOnlyDefaultDeny, ciliumVersionFields,
  cnpSubjectNamespace, serviceWithoutNamespace,
  ...POLICY_API_CHECKS,
];

/** Checks about the suppression annotation itself (never suppressible). */
const META_CHECKS: LintCheckInfo[] = [
  {
    id: 'LINT000',
    name: 'invalid-manifest',
    severity: LintSeverity.ERROR,
    description: 'A file or document that cannot be read, or an object the API server or Cilium would reject (so it is not linted).',
    kinds: ['*'],
    needsWorkloads: false,
  },
  {
    id: 'LINT004',
    name: 'manifest-warning',
    severity: LintSeverity.WARNING,
    description: 'A warning from reading the manifests: the same object defined twice (the last one wins, as with kubectl apply), or a policy of another implementation that is not analysed.',
    kinds: ['*'],
    needsWorkloads: false,
  },
  {
    id: 'LINT001',
    name: 'suppression-without-reason',
    severity: LintSeverity.ERROR,
    description: `A ${LINT_IGNORE_ANNOTATION} entry without a reason ("ID: why").`,
    kinds: ['*'],
    needsWorkloads: false,
  },
  {
    id: 'LINT002',
    name: 'suppression-unknown-check',
    severity: LintSeverity.WARNING,
    description: `A ${LINT_IGNORE_ANNOTATION} entry names no known check id.`,
    kinds: ['*'],
    needsWorkloads: false,
  },
  {
    id: 'LINT003',
    name: 'unused-suppression',
    severity: LintSeverity.INFO,
    description: `A ${LINT_IGNORE_ANNOTATION} entry silences nothing (the finding is gone): remove it.`,
    kinds: ['*'],
    needsWorkloads: false,
  },
];

interface Suppression {
  readonly id: string;
  readonly reason: string;
  used: boolean;
}

/** `Kind ns/name` or `Kind name` (a reader diagnostic's object) as a finding's object. */
function objectRef(id: string): { kind: string; namespace?: string; name: string } {
  const [kind, rest] = [id.slice(0, id.indexOf(' ')), id.slice(id.indexOf(' ') + 1)];
  const slash = rest.indexOf('/');
  return slash < 0 ? { kind, name: rest } : { kind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

/** Parses `"NP003: reason; CNP001: other reason"` (entries separated by newlines or ";" before an id). */
function parseSuppressions(text: unknown): { entries: Suppression[]; bad: { entry: string; problem: 'reason' | 'id' }[] } {
  // most objects have no suppression annotation: nothing to make for them
  if (typeof text !== 'string') return { entries: [], bad: [] };
  const entries: Suppression[] = [];
  const bad: { entry: string; problem: 'reason' | 'id' }[] = [];
  for (const raw of text.split(/\n|;\s*(?=[A-Za-z]+\d{3}\b)/)) {
    const entry = raw.trim().replace(/;$/, '').trim();
    if (!entry) continue;
    const m = /^([A-Za-z]+\d{3})\s*(?::\s*(.*))?$/s.exec(entry);
    if (!m) {
      bad.push({ entry, problem: 'id' });
      continue;
    }
    const id = m[1].toUpperCase();
    const reason = (m[2] ?? '').trim();
    if (!reason) bad.push({ entry, problem: 'reason' });
    else entries.push({ id, reason, used: false });
  }
  return { entries, bad };
}

/**
 * The network policy lint: checks plain manifests (Kubernetes NetworkPolicy, CiliumNetworkPolicy,
 * CiliumClusterwideNetworkPolicy; workloads and namespaces when given) for the usual pitfalls.
 * Used at synth by `Lint.enable` and on files by `cdk8s-netpol lint`.
 */
export class Linter {
  /** Every check, in id order. */
  public static checks(): LintCheckInfo[] {
    return [...CHECKS.map(c => c.info), ...META_CHECKS].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Lints manifests given as plain objects (e.g. a chart's `toJson()`). */
  public static lintManifests(manifests: any[], options: LintOptions = {}): LintReport {
    if (!Array.isArray(manifests)) {
      throw new Error(`Linter.lintManifests.manifests: ${typeof manifests} is not a list; pass an array of plain manifest objects`);
    }
    return Linter.run(fromObjects(manifests), options);
  }

  /**
   * `lintManifests` for the synth-time lint: the NetworkPolicy specs in `decodedSpecs` were
   * written by the constructs from their validated models, so the strict reader takes them as
   * their own decoding (ReadOptions.decodedSpecs) instead of copying them. Same findings.
   * @internal
   */
  public static _lintSynthManifests(manifests: any[], options: LintOptions, decodedSpecs: { has(spec: object): boolean }): LintReport {
    return Linter.run(fromObjects(manifests), options, decodedSpecs);
  }

  /** Lints YAML/JSON files and folders (recursively); unreadable documents become LINT errors with file positions. */
  public static lintFiles(paths: string[], options: LintOptions = {}): LintReport {
    if (!Array.isArray(paths) || paths.some(p => typeof p !== 'string')) {
      throw new Error(`Linter.lintFiles.paths: ${JSON.stringify(paths)} is not a list of paths; pass file or folder names, e.g. ["dist/"]`);
    }
    return Linter.run(loadFiles(paths), options);
  }

  /** `file:line: severity ID kind ns/name field: message (fix: ...)`, one finding a line, then a summary. */
  public static formatText(report: LintReport): string {
    const lines = report.findings.map(f => Linter.formatFinding(f));
    lines.push(`${report.errorCount} error(s), ${report.warningCount} warning(s), ${report.findings.length - report.errorCount - report.warningCount} info, ${report.suppressed.length} suppressed`);
    return lines.join('\n') + '\n';
  }

  /** One finding as a line of text. */
  public static formatFinding(f: LintFinding): string {
    const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
    const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
    return `${where}${f.severity} ${f.checkId} ${obj} ${f.field}: ${f.message} (fix: ${f.fix})`;
  }

  /** The report as stable, pretty-printed JSON. */
  public static formatJson(report: LintReport): string {
    return JSON.stringify(report, null, 2) + '\n';
  }

  /**
   * The report as a Markdown table (severity, check, object, field, message, fix, file:line), then
   * the summary line; for pull request summaries.
   */
  public static formatMarkdown(report: LintReport): string {
    const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const lines = ['| severity | check | object | field | message | fix | file |', '|----------|-------|--------|-------|---------|-----|------|'];
    for (const f of report.findings) {
      const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
      const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : '';
      lines.push(`| ${f.severity} | ${f.checkId} | ${esc(obj)} | ${esc(f.field)} | ${esc(f.message)} | ${esc(f.fix)} | ${esc(where)} |`);
    }
    const summary = `${report.errorCount} error(s), ${report.warningCount} warning(s), ${report.findings.length - report.errorCount - report.warningCount} info, ${report.suppressed.length} suppressed`;
    return (report.findings.length ? lines.join('\n') + '\n\n' : '') + summary + '\n';
  }

  /**
   * The report as a SARIF 2.1.0 log (for code scanning): every check a rule, every finding a
   * result with its file, line and object; suppressed findings carry an in-source suppression.
   */
  public static formatSarif(report: LintReport, options?: SarifOptions): string {
    return JSON.stringify(toSarif(report, Linter.checks(), options), null, 2) + '\n';
  }

  private static run(loaded: LoadResult, options: LintOptions, decodedSpecs?: { has(spec: object): boolean }): LintReport {
    const known = new Set(Linter.checks().map(c => c.id));
    for (const id of options.disabledChecks ?? []) {
      if (!known.has(id)) {
        throw new Error(`LintOptions.disabledChecks: "${id}" is not a check id; use one of ${[...known].join(', ')}`);
      }
    }
    if (options.ciliumVersion !== undefined) {
      try {
        CiliumVersion.of(options.ciliumVersion);
      } catch (e: any) {
        throw new Error(`LintOptions.ciliumVersion: ${e?.message ?? e}`);
      }
    }
    const disabled = new Set(options.disabledChecks ?? []);
    // The analyser's reader decides what is valid, so lint and analyze agree: a document that
    // cannot be read or an object the API server or Cilium rejects is a LINT000 error, and only
    // the accepted objects are linted.
    const read = readDocuments(loaded.documents, { ciliumAgent: agentConfig(options.ciliumAgent), decodedSpecs });
    const ctx = buildContext(read, options);
    const raw: LintFinding[] = [];
    for (const d of [...loaded.diagnostics, ...read.diagnostics]) {
      if (d.severity === 'info') continue;
      const ref = d.object ? objectRef(d.object) : { kind: 'File', name: d.file };
      raw.push({
        checkId: d.severity === 'error' ? 'LINT000' : 'LINT004',
        severity: d.severity === 'error' ? LintSeverity.ERROR : LintSeverity.WARNING,
        object: ref,
        field: d.field ?? `${d.line}:${d.column}`,
        message: d.problem ?? d.message,
        fix: d.fix ?? (d.severity === 'error' ? 'fix the document so that it can be read as a manifest' : 'see the message'),
        ...(d.file && d.file !== '<manifests>' ? { file: d.file, line: d.line } : {}),
      });
    }
    // The same texts recur in thousands of findings (a check's message for every policy of a
    // generated chart): the findings share one copy of each.
    const texts = new Map<string, string>();
    const intern = (text: string): string => {
      const shared = texts.get(text);
      if (shared !== undefined) return shared;
      texts.set(text, text);
      return text;
    };
    for (const check of CHECKS) {
      if (disabled.has(check.info.id)) continue;
      check.run(ctx, (p: LintObject, field, message, fix, severity) => {
        const f: { -readonly [K in keyof LintFinding]: LintFinding[K] } = {
          checkId: check.info.id,
          severity: severity ?? check.info.severity,
          object: p.ref,
          field: intern(field),
          message: intern(message),
          fix: intern(fix),
        };
        if (p.file) f.file = p.file;
        if (p.line) f.line = p.line;
        raw.push(f);
      });
    }
    // De-duplicate (Cilium `specs` can repeat a policy reference): one finding per check, object,
    // field and message, the last one's. Sorted (stably) on those, equal findings are neighbours,
    // the last of them last; no key text is made per finding. The findings are sorted below on all
    // of these (and the file), so the order here does not matter.
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    // (an absent namespace and "" are different objects)
    const cmpNamespace = (a: string | undefined, b: string | undefined) => (a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : cmp(a, b));
    const byKey = (a: LintFinding, b: LintFinding) => cmp(a.checkId, b.checkId) || cmp(a.object.kind, b.object.kind)
      || cmpNamespace(a.object.namespace, b.object.namespace) || cmp(a.object.name, b.object.name) || cmp(a.field, b.field)
      || cmp(a.message, b.message);
    raw.sort(byKey);
    const unique: LintFinding[] = [];
    for (let i = 0; i < raw.length; i++) {
      if (i + 1 < raw.length && byKey(raw[i], raw[i + 1]) === 0) continue;
      unique.push(raw[i]);
    }

    // Suppressions, per object.
    const findings: LintFinding[] = [];
    const suppressed: LintFinding[] = [];
    // only the objects with a suppression annotation: most have none
    const byObject = new Map<string, { policy: LintObject; entries: Suppression[] }>();
    const objKey = (o: { kind: string; namespace?: string; name: string }) => `${o.kind}|${o.namespace ?? ''}|${o.name}`;
    for (const p of ctx.objects) {
      const annotation = p.object?.metadata?.annotations?.[LINT_IGNORE_ANNOTATION];
      // (an object without one has nothing to parse; the reader keeps one object per kind,
      // namespace and name, so no later object has its key)
      if (typeof annotation !== 'string') continue;
      const key = objKey(p.ref);
      if (byObject.has(key)) continue;
      const parsed = parseSuppressions(annotation);
      const field = `metadata.annotations["${LINT_IGNORE_ANNOTATION}"]`;
      const at = { ...(p.file ? { file: p.file } : {}), ...(p.line ? { line: p.line } : {}) };
      for (const b of parsed.bad) {
        findings.push(b.problem === 'reason'
          ? { checkId: 'LINT001', severity: LintSeverity.ERROR, object: p.ref, field, message: `"${b.entry}" silences a check without a reason`, fix: `write "${b.entry.replace(/:.*$/, '')}: <why this is fine>"`, ...at }
          : { checkId: 'LINT002', severity: LintSeverity.WARNING, object: p.ref, field, message: `"${b.entry}" does not start with a check id`, fix: 'write entries as "NP003: reason", separated by newlines or ";"', ...at });
      }
      for (const e of parsed.entries) {
        if (!known.has(e.id) || e.id.startsWith('LINT')) {
          findings.push({ checkId: 'LINT002', severity: LintSeverity.WARNING, object: p.ref, field, message: `"${e.id}" is not a check id that can be silenced`, fix: `use one of ${CHECKS.map(c => c.info.id).join(', ')}`, ...at });
          e.used = true;
        }
      }
      byObject.set(key, { policy: p, entries: parsed.entries });
    }
    for (const f of unique) {
      const s = byObject.size ? byObject.get(objKey(f.object))?.entries.find(e => e.id === f.checkId) : undefined;
      if (s) {
        s.used = true;
        suppressed.push(f);
      } else {
        findings.push(f);
      }
    }
    for (const { policy: p, entries } of byObject.values()) {
      for (const e of entries) {
        if (e.used || disabled.has(e.id) || (CHECKS.find(c => c.info.id === e.id)?.info.needsWorkloads && !ctx.cluster)) continue;
        findings.push({
          checkId: 'LINT003',
          severity: LintSeverity.INFO,
          object: p.ref,
          field: `metadata.annotations["${LINT_IGNORE_ANNOTATION}"]`,
          message: `"${e.id}: ${e.reason}" silences nothing`,
          fix: `remove the ${e.id} entry`,
          ...(p.file ? { file: p.file } : {}),
          ...(p.line ? { line: p.line } : {}),
        });
      }
    }
    const sorted = sortFindings(findings.filter(f => !disabled.has(f.checkId)));
    return {
      findings: sorted,
      suppressed: sortFindings(suppressed),
      errorCount: sorted.filter(f => f.severity === LintSeverity.ERROR).length,
      warningCount: sorted.filter(f => f.severity === LintSeverity.WARNING).length,
    };
  }

  private constructor() {}
}
