// The compiled CLI as a shell runs it: a closed pipe, a full disk, a FIFO and standard input
// (lib/cli/main.js is built by the test task's jsii compile).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const bin = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');
const base = path.join(__dirname, 'fixtures', 'review', 'base');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-process-'));

// 300 workloads without policies: about 90,000 report lines (several MB), far more than a pipe holds
const big = path.join(tmp, 'big.json');
fs.writeFileSync(big, JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: Array.from({ length: 300 }, (_, i) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `w${i}`, namespace: `ns${i % 10}` },
    spec: { selector: { matchLabels: { app: `w${i}` } }, template: { metadata: { labels: { app: `w${i}` } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  })),
}));

function sh(script: string, input?: string) {
  return spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60000, input, env: { ...process.env, BIN: bin, BIG: big, BASE: base, TMP: tmp } });
}

describe('the compiled CLI', () => {
  test('analyze | head -1: one line, exit 0, nothing on stderr (no EPIPE stack trace)', () => {
    const r = sh('node "$BIN" analyze "$BIG" -q | head -1; exit ${PIPESTATUS[0]}');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('0.0.0.0-255.255.255.255[External] => ns0/w0[Deployment] : All Connections\n');
    expect(r.stderr).toBe('');
  });

  test('a full disk (>/dev/full): a one-line error and exit 4', () => {
    const r = sh('node "$BIN" analyze "$BIG" -q > /dev/full');
    expect(r.status).toBe(4);
    expect(r.stderr).toBe('error: cannot write to standard output: ENOSPC: no space left on device, write\n');
  });

  test('a named pipe without a writer is refused at once (exit 2), not waited on', () => {
    const fifo = path.join(tmp, 'manifests.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = sh('node "$BIN" analyze "$TMP/manifests.yaml"');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${fifo}: error: not read: ${fifo} is a named pipe (FIFO), which blocks until a writer opens it; pass files or folders of YAML/JSON manifests, or - to read standard input`);
  });

  test('- reads standard input; a shell\'s <(...) pipe is read too', () => {
    const manifests = fs.readFileSync(path.join(base, 'shop.yaml'), 'utf8');
    const viaStdin = sh('node "$BIN" analyze - -q', manifests);
    expect(viaStdin.status).toBe(0);
    expect(viaStdin.stdout).toContain('shop/web[Deployment] => shop/api[Deployment] : TCP 9090\n');
    const viaProcessSubstitution = sh('node "$BIN" analyze <(cat "$BASE/shop.yaml") -q');
    expect(viaProcessSubstitution.stdout).toBe(viaStdin.stdout);
  });
});
