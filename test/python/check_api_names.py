"""The Python package exposes every type and member of the TypeScript API, under the name jsii's
Python conventions give it (aws/jsii, jsii-pacmak targets/python.ts: snake_case members, constants
and enum members unchanged, a trailing underscore on Python keywords).

Reads the jsii assembly and the generated package source (never imports it: the jsii runtime is
not needed). Standard library only.

usage: python3 check_api_names.py <.jsii> <package source folder, e.g. .../src/cdk8s_netpol>
"""

import ast
import json
import keyword
import re
import sys
from pathlib import Path


def python_name(name: str) -> str:
    """camelCase -> snake_case, acronyms kept together (toJSON -> to_json), keywords escaped."""
    snake = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    snake = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", snake).lower()
    return escape(snake)


def escape(name: str) -> str:
    return name + "_" if keyword.iskeyword(name) else name


def call_kwarg(call: ast.expr, kwarg: str):
    if isinstance(call, ast.Call):
        for k in call.keywords:
            if k.arg == kwarg:
                return k.value
    return None


def literal(node):
    return ast.literal_eval(node) if node is not None else None


def read_python(package: Path):
    """fqn -> {"python": class name, "members": {jsii name: python name}, "enum": set()}."""
    types = {}
    for file in sorted(package.rglob("__init__.py")):
        tree = ast.parse(file.read_text(encoding="utf8"), str(file))
        module = ".".join(file.relative_to(package.parent).parent.parts)
        for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)]:
            fqn = literal(next((k.value for k in cls.keywords if k.arg == "jsii_type"), None))
            members = {}
            enum_members = set()
            is_enum = False
            for dec in cls.decorator_list:
                fqn = fqn or literal(call_kwarg(dec, "jsii_type"))
                mapping = call_kwarg(dec, "name_mapping")
                if mapping is not None:  # struct fields: {python name: jsii name}
                    members.update({jsii: py for py, jsii in literal(mapping).items()})
                if isinstance(dec, ast.Call) and getattr(dec.func, "attr", None) == "enum":
                    is_enum = True
            for node in cls.body:
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                    if node.targets[0].id == "__jsii_type__":
                        fqn = fqn or literal(node.value)
                    elif is_enum:
                        enum_members.add(node.targets[0].id)
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "__jsii_type__":
                    fqn = fqn or literal(node.value)
                if isinstance(node, ast.FunctionDef):
                    for dec in node.decorator_list:
                        jsii_name = literal(call_kwarg(dec, "jsii_name"))
                        if jsii_name is not None:
                            members[jsii_name] = node.name
            if fqn is None:
                continue
            entry = types.setdefault(fqn, {"python": None, "module": module, "members": {}, "enum": set()})
            # An interface is a Protocol plus a private proxy class with the same jsii type.
            if not cls.name.startswith("_"):
                entry["python"] = cls.name
                entry["module"] = module
            entry["members"].update(members)
            entry["enum"] |= enum_members
    return types


def check(assembly: dict, python: dict, package_name: str) -> list:
    problems = []
    for fqn, t in sorted(assembly["types"].items()):
        where = f"{fqn} ({t.get('locationInModule', {}).get('filename', '?')})"
        py = python.get(fqn)
        if py is None or py["python"] is None:
            problems.append(f"{where}: no Python class with jsii_type {fqn!r}")
            continue
        expected_class = escape(t["name"])
        if py["python"] != expected_class:
            problems.append(f"{where}: Python class is {py['python']!r}, expected {expected_class!r}")
        submodule = fqn.split(".")[1:-1]
        expected_module = ".".join([package_name, *submodule])
        if py["module"] != expected_module:
            problems.append(f"{where}: Python class is in {py['module']!r}, expected {expected_module!r}")
        if t["kind"] == "enum":
            for m in t.get("members", []):
                if m["name"] not in py["enum"]:
                    problems.append(f"{where}: enum member {m['name']} missing in Python")
            continue
        own = [*t.get("properties", []), *t.get("methods", [])]
        for m in own:
            name = m["name"]
            expected = escape(name) if m.get("const") else python_name(name)
            actual = py["members"].get(name)
            if actual is None:
                problems.append(f"{where}: member {name} missing in Python (expected {expected!r})")
            elif actual != expected:
                problems.append(f"{where}: member {name} is {actual!r} in Python, expected {expected!r}")
    return problems


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    assembly = json.loads(Path(argv[1]).read_text(encoding="utf8"))
    package = Path(argv[2])
    python = read_python(package)
    problems = check(assembly, python, package.name)
    members = sum(len(t.get("properties", [])) + len(t.get("methods", [])) + len(t.get("members", [])) for t in assembly["types"].values())
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems:
        print(f"python API names: {len(problems)} mismatch(es); regenerate with jsii-pacmak, or fix the TypeScript name", file=sys.stderr)
        return 1
    print(f"python API names: {len(assembly['types'])} types and {members} members of the TypeScript API found under their Python names")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
