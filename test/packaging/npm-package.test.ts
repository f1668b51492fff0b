import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// What `npm pack` puts in the tarball that npm publishes and that every jsii language package
// embeds. Needs lib/ and .jsii, which `npm test` builds first (jsii compile).
const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

interface PackedFile {
  readonly path: string;
  readonly mode: number;
}

function packedFiles(): PackedFile[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out)[0].files;
}

describe('npm package', () => {
  const files = packedFiles();
  const byPath = new Map(files.map((f) => [f.path, f]));

  test.each(Object.entries(pkg.bin as Record<string, string>))('bin %s (%s) is executable in the tarball and starts with a node shebang', (_name, file) => {
    const packed = byPath.get(file);
    expect(packed).toBeDefined();
    // The jsii kernel runs the bin path itself (aws/jsii @jsii/kernel kernel.ts #getBinScriptCommand,
    // spawnSync with shell: true), so the tarball's mode bits decide whether it runs at all.
    expect((packed!.mode & 0o777).toString(8)).toBe('755');
    expect(fs.readFileSync(path.join(root, file), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('the bin runs when executed directly, as the jsii runtimes run it', () => {
    const out = execFileSync(path.join(root, pkg.bin['cdk8s-netpol']), ['--version'], { encoding: 'utf8' });
    expect(out).toBe(`${pkg.version}\n`);
  });

  test('the tarball carries the jsii assembly and no sources or tests', () => {
    expect(byPath.has('.jsii')).toBe(true);
    expect(byPath.has('lib/index.js')).toBe(true);
    expect(files.filter((f) => /^(src|test|examples|bench|conformance)\//.test(f.path))).toEqual([]);
  });
});
