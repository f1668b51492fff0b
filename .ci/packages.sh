#!/usr/bin/env bash
# The jsii language packages, from lib/ and .jsii (built by `npm test`), with only the registries
# this machine reaches (npm, Debian). Python: wheel built, byte-compiled, API names checked against
# the TypeScript ones, CLI checked as the jsii kernel runs it, and the Python test run where the jsii
# Python runtime is importable. Java, .NET, Go: sources generated; what cannot be compiled offline
# is said so (README "Language packages").
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Python, where the Debian build tools below install (python3 on PATH may be another one).
PY=/usr/bin/python3
DEBS=(python3-build python3-setuptools python3-wheel python3-venv)
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "packages: installing Debian packages ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

OUT=dist/packages
rm -rf "$OUT"
mkdir -p "$OUT"
# --code-only: jsii-pacmak's own Python build pip-installs its build tools from PyPI; the wheel is
# built below with Debian's setuptools/build instead. Sources of every target in one run.
npx jsii-pacmak --code-only --force --no-npmignore --outdir "$OUT/src" \
  --target python --target java --target dotnet --target go >"$OUT/pacmak.log" 2>&1 || { cat "$OUT/pacmak.log"; exit 1; }

# Python wheel. --no-isolation/--skip-dependency-check: the generated pyproject.toml pins
# setuptools~=75.3.2 and build~=1.5.0 (PyPI versions); Debian's setuptools builds the same wheel.
"$PY" -m build --no-isolation --skip-dependency-check --wheel --outdir "$OUT/python" "$OUT/src/python" >"$OUT/python-build.log" 2>&1 \
  || { cat "$OUT/python-build.log"; exit 1; }
WHEEL=$(ls "$OUT"/python/*.whl)
UNPACKED=$(mktemp -d)
trap 'rm -rf "$UNPACKED"' EXIT
"$PY" -m zipfile -e "$WHEEL" "$UNPACKED"
"$PY" -m compileall -q "$UNPACKED/cdk8s_netpol"
echo "python: built $WHEEL; its modules byte-compile"
"$PY" -m py_compile test/python/*.py
"$PY" test/python/check_api_names.py .jsii "$UNPACKED/cdk8s_netpol"
"$PY" test/python/check_wheel.py "$WHEEL" node_modules test/analysis/fixtures/app

if "$PY" -c 'import jsii' 2>/dev/null; then
  VENV=$(mktemp -d)
  "$PY" -m venv --system-site-packages "$VENV"
  "$VENV/bin/pip" install -q "$WHEEL"
  PATH="$VENV/bin:$PATH" "$VENV/bin/python" -m unittest discover -s test/python -p 'test_*.py' -v
  rm -rf "$VENV"
else
  echo "python: test/python/test_cdk8s_netpol.py NOT RUN: the jsii Python runtime (module jsii) is not importable here;"
  echo "        it and cdk8s, constructs, publication are published on PyPI only, which this machine cannot reach."
  echo "        A release pipeline with PyPI access runs: python3 -m venv .venv && .venv/bin/pip install $WHEEL"
  echo "        && PATH=.venv/bin:\$PATH .venv/bin/python -m unittest discover -s test/python -p 'test_*.py' -v"
fi

# Java, .NET, Go: generated above (jsii-pacmak accepts the assembly for every target); not compiled.
for target in java dotnet go; do
  echo "$target: generated $(find "$OUT/src/$target" -type f | wc -l) files in $OUT/src/$target"
done
echo "java: not compiled: javac and Maven are in Debian, but jsii's Java runtime (software.amazon.jsii:jsii-runtime) and the cdk8s/constructs jars are on Maven Central only"
echo "dotnet: not compiled: Debian 12 has no .NET SDK, and Amazon.JSII.Runtime and the cdk8s/constructs packages are on NuGet only"
echo "go: not compiled: github.com/aws/jsii-runtime-go and the cdk8s/constructs Go modules come from the Go module proxy only"
