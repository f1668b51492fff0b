/**
 * `cdk8s-netpol diff --git BASE..HEAD [--synth CMD] [PATHS...]`: each revision is checked out in a
 * temporary git worktree (the user's work tree is not touched), the synth command runs there, and
 * the manifests it writes (or the committed ones) are what the diff reads.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError } from './options';

/** A synth command failed or a revision could not be checked out: the input of one side cannot be built. */
export class RevisionError extends Error {}

/** BASE..HEAD (the two commits) or BASE...HEAD (from their merge base, as a pull request diff is); an empty side is HEAD. */
export function parseRange(range: string): { base: string; head: string; mergeBase: boolean } {
  const m = /^(.*?)(\.\.\.?)(.*)$/.exec(range);
  if (!m || (!m[1] && !m[3])) throw new UsageError(`--git "${range}" is not a revision range; write BASE..HEAD (e.g. main..HEAD) or BASE...HEAD (from their merge base)`);
  return { base: m[1] || 'HEAD', head: m[3] || 'HEAD', mergeBase: m[2] === '...' };
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A checked-out revision: the folder that stands for the caller's working directory in it. */
export interface Checkout {
  readonly revision: string;
  readonly commit: string;
  /** The worktree root. */
  readonly root: string;
  /** The caller's working directory, inside the worktree. */
  readonly cwd: string;
}

export class RevisionCheckouts {
  private readonly tmp: string;
  private readonly top: string;
  private readonly rel: string;
  private readonly made: string[] = [];

  constructor(cwd: string) {
    try {
      this.top = git(cwd, ['rev-parse', '--show-toplevel']);
    } catch {
      throw new UsageError(`--git: ${cwd} is not inside a git repository; run the command in the repository of the cdk8s app`);
    }
    this.rel = path.relative(fs.realpathSync(this.top), fs.realpathSync(cwd));
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-netpol-git-'));
  }

  /** The commit a revision names (the merge base with `other` when asked), or a usage error. */
  commit(revision: string, other?: string): string {
    try {
      const c = git(this.top, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
      return other ? git(this.top, ['merge-base', c, git(this.top, ['rev-parse', '--verify', '--quiet', `${other}^{commit}`])]) : c;
    } catch {
      throw new UsageError(`--git: "${other ? `${revision}...${other}` : revision}" names no commit of ${this.top}; use a branch, tag or commit (git rev-parse must know it)`);
    }
  }

  /** Checks out a commit in a new temporary worktree. */
  checkout(name: string, revision: string, commit: string): Checkout {
    const root = path.join(this.tmp, name);
    try {
      git(this.top, ['worktree', 'add', '--detach', '--quiet', root, commit]);
    } catch (e: any) {
      throw new RevisionError(`--git: cannot check out ${revision} (${commit.slice(0, 12)}): ${String(e?.stderr ?? e?.message ?? e).trim()}`);
    }
    this.made.push(root);
    return { revision, commit, root, cwd: path.join(root, this.rel) };
  }

  /** Runs the synth command in a checkout; its output goes to `log` (stderr: stdout keeps the report only), on success only when `verbose`. */
  synth(c: Checkout, command: string, log: (text: string) => void, verbose: boolean): void {
    if (!fs.existsSync(c.cwd)) throw new RevisionError(`--git: ${this.rel || '.'} does not exist at ${c.revision}; run the command from a folder both revisions have`);
    const r = spawnSync(command, { cwd: c.cwd, shell: true, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    const failed = !!r.error || r.status !== 0;
    if (out && (failed || verbose)) log(out.endsWith('\n') ? out : `${out}\n`);
    if (failed) {
      throw new RevisionError(`--synth "${command}" failed at ${c.revision} (${c.commit.slice(0, 12)}): ${r.error ? r.error.message : `exit code ${r.status}`}`);
    }
  }

  /** Removes the worktrees and the temporary folder. */
  cleanup(): void {
    for (const root of this.made) {
      try {
        git(this.top, ['worktree', 'remove', '--force', root]);
      } catch {
        // removed below; prune forgets it
      }
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
    try {
      git(this.top, ['worktree', 'prune']);
    } catch {
      // nothing to prune
    }
  }
}
