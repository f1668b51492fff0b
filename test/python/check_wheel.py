"""Checks a built cdk8s-netpol wheel without the jsii Python runtime (standard library only):

- the console script `cdk8s-netpol` is in the wheel and hands over to the jsii runtime's
  `invokeBinScript`, the wrapper jsii-pacmak writes for package.json `bin` entries;
- the npm tarball embedded in the wheel has the bin file executable with a node shebang;
- the bin runs the way the jsii kernel runs it: the kernel extracts the tarball into
  `<tmp>/node_modules/<name>` next to its dependencies' tarballs and runs the bin path itself
  through a shell (aws/jsii @jsii/kernel kernel.ts #getBinScriptCommand, invokeBinScript), so
  `--version` and `analyze` are run here exactly so, with cdk8s and constructs linked from the
  project's node_modules in place of their own tarballs.

usage: python3 check_wheel.py <wheel> <node_modules with cdk8s and constructs> <manifests folder>
"""

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def main(argv) -> int:
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    wheel, node_modules, manifests = Path(argv[1]), Path(argv[2]), Path(argv[3])
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        scripts = [n for n in names if ".data/scripts/" in n]
        if [Path(s).name for s in scripts] != ["cdk8s-netpol"]:
            fail(f"{wheel.name}: expected one console script cdk8s-netpol, found {scripts}")
        script = whl.read(scripts[0]).decode("utf8")
        if "invokeBinScript" not in script or '"cdk8s-netpol"' not in script:
            fail(f"{scripts[0]} does not hand the cdk8s-netpol bin to the jsii runtime:\n{script}")
        tarballs = [n for n in names if n.endswith(".jsii.tgz")]
        if len(tarballs) != 1:
            fail(f"{wheel.name}: expected one embedded npm tarball, found {tarballs}")
        tarball = whl.read(tarballs[0])

    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tgz:
        pkg = json.load(tgz.extractfile("package/package.json"))
        for name, rel in pkg["bin"].items():
            member = tgz.getmember(f"package/{rel}")
            if member.mode & 0o777 != 0o755:
                fail(f"bin {name} ({rel}) has mode {oct(member.mode & 0o777)} in the embedded tarball; jsii runtimes need 0o755")
            if not tgz.extractfile(member).readline().startswith(b"#!/usr/bin/env node"):
                fail(f"bin {name} ({rel}) does not start with a node shebang")
        with tempfile.TemporaryDirectory() as tmp:
            install = Path(tmp) / "node_modules"
            target = install / pkg["name"]
            target.mkdir(parents=True)
            for m in tgz.getmembers():
                m.name = m.name.split("/", 1)[1]  # the kernel strips "package/" too
            tgz.extractall(target)
            for peer in sorted(pkg.get("peerDependencies", {})):
                os.symlink((node_modules / peer).resolve(), install / peer)
            bin_path = target / pkg["bin"]["cdk8s-netpol"]
            version = subprocess.run(f"{bin_path} --version", shell=True, capture_output=True, text=True)
            if version.returncode != 0 or version.stdout.strip() != pkg["version"]:
                fail(f"cdk8s-netpol --version, run as the jsii kernel runs it, exited {version.returncode}: {version.stdout}{version.stderr}")
            analyze = subprocess.run(f"{bin_path} analyze -q {manifests}", shell=True, capture_output=True, text=True)
            if analyze.returncode != 0 or "=>" not in analyze.stdout:
                fail(f"cdk8s-netpol analyze, run as the jsii kernel runs it, exited {analyze.returncode}: {analyze.stdout}{analyze.stderr}")
    print(f"wheel {wheel.name}: console script cdk8s-netpol, embedded bin 0755; run as the jsii kernel runs it, --version printed {pkg['version']} and analyze listed {analyze.stdout.count('=>')} connections")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
