// diff --git BASE..HEAD --synth CMD on a fixture git repository made here (two commits of a tiny
// "app" whose synth step copies its manifests to dist/), with the compiled CLI.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixtureRepository } from './fixture-repo';

const bin = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');
const review = path.join(__dirname, 'fixtures', 'review');

const repo = fixtureRepository(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-git-')), 'repo'));

function cli(...args: string[]) {
  return spawnSync('node', [bin, ...args], { cwd: repo, encoding: 'utf8', timeout: 120000 });
}

describe('diff --git', () => {
  test('synthesises both revisions in temporary worktrees and diffs them', () => {
    const r = cli('diff', '--git', 'HEAD~1..HEAD', '--synth', 'node synth.js');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('diff-type: added, source: shop/web[Deployment], destination: shop/db[Deployment], ref1: No Connections, ref2: TCP 5432\n');
    // the synth output goes to stderr, so that stdout is the report only
    expect(r.stderr).toBe('synthesised shop.yaml\nsynthesised shop.yaml\n');
    // the same report as diffing the two folders directly
    const direct = spawnSync('node', [bin, 'diff', path.join(review, 'base'), path.join(review, 'head'), '-q'], { encoding: 'utf8' });
    expect(r.stdout).toBe(direct.stdout);
    // the work tree is untouched and no worktree is left behind
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('');
    expect(execFileSync('git', ['worktree', 'list'], { cwd: repo, encoding: 'utf8' }).trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(repo, 'dist'))).toBe(false);
  });

  test('committed manifests need no synth: the paths are read in each revision; BASE...HEAD starts at the merge base', () => {
    const r = cli('diff', '--git', 'main~1...main', 'app', '--format', 'md', '-q');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| added | shop/web[Deployment] | shop/db[Deployment] | No Connections | TCP 5432 |  |\n');
  });

  test('a synth command that fails is exit 3, naming the revision', () => {
    const r = cli('diff', '--git', 'HEAD~1..HEAD', '--synth', 'node -e "process.exit(5)"');
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^error: --synth "node -e "process.exit\(5\)"" failed at HEAD~1 \([0-9a-f]{12}\): exit code 5\n$/);
  });

  test.each([
    [['--git', 'nope..HEAD', '--synth', 'true'], /--git: "nope" names no commit of /],
    [['--git', 'HEAD~1'], /--git "HEAD~1" is not a revision range; write BASE..HEAD/],
    [['--git', 'HEAD~1..HEAD'], /--git: name the manifest files or folders to compare/],
  ])('%j is a usage error', (args, message) => {
    const r = cli('diff', ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
