// A git repository made for a test: a tiny "app" whose synth step copies app/*.yaml to dist/ (as
// `cdk8s synth` writes dist/), with the review fixtures' base manifests in the first commit and
// the head ones in the second.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const review = path.join(__dirname, 'fixtures', 'review');

/** A repository with the base manifests in commit 1 and the head ones in commit 2 (on branch main). */
export function fixtureRepository(dir: string, headFiles: Record<string, string> = {}): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
  fs.mkdirSync(dir, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.invalid');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  // the "synth": writes dist/ from app/, as `cdk8s synth` writes dist/ from the app's code
  fs.writeFileSync(path.join(dir, 'synth.js'), [
    "const fs = require('fs');",
    "fs.mkdirSync('dist', { recursive: true });",
    "for (const f of fs.readdirSync('app')) fs.copyFileSync(`app/${f}`, `dist/${f}`);",
    "console.log('synthesised', fs.readdirSync('dist').join(' '));",
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, '.gitignore'), 'dist/\n');
  fs.mkdirSync(path.join(dir, 'app'));
  fs.copyFileSync(path.join(review, 'base', 'shop.yaml'), path.join(dir, 'app', 'shop.yaml'));
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  fs.copyFileSync(path.join(review, 'head', 'shop.yaml'), path.join(dir, 'app', 'shop.yaml'));
  for (const [name, text] of Object.entries(headFiles)) fs.writeFileSync(path.join(dir, 'app', name), text);
  git('add', '-A');
  git('commit', '-q', '-m', 'head');
  return dir;
}

