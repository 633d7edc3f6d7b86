#!/usr/bin/env python3
"""Regenerates the method reference in SPEC.md from `dbm-server --print-openrpc` (what rpc.discover answers).

Usage: scripts/gen-spec.py [path/to/dbm-server]
Only the text between the GENERATED markers is replaced; the rest of SPEC.md is written by hand.
"""
import json
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build", "debug", "dbm-server")
doc = json.loads(subprocess.check_output([binary, "--print-openrpc"]))


def schema_text(schema, depth=0):
    if not isinstance(schema, dict):
        return "any"
    if "oneOf" in schema:
        return " or ".join(schema_text(s, depth) for s in schema["oneOf"])
    t = schema.get("type")
    if isinstance(t, list):
        t = " or ".join(t)
    if "enum" in schema:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in schema["enum"])
    if t == "array":
        return f"array of {schema_text(schema.get('items', {}), depth)}"
    if t == "object" and schema.get("properties") and depth < 1:
        keys = ", ".join(f"`{k}`" for k in schema["properties"])
        return f"object {{{keys}}}"
    return t or "any"


lines = []
groups = {}
for method in doc["methods"]:
    name = method["name"]
    protocol = {"initialize", "initialized", "shutdown", "exit"}
    if name.startswith("rpc.") or name.startswith("$/") or name in protocol:
        group = "Protocol"
    elif "." in name:
        group = name.rsplit(".", 1)[0]
    else:
        group = "Functions"
    groups.setdefault(group, []).append(method)
order = ["Functions"] + sorted(g for g in groups if g not in ("Functions", "Protocol")) + ["Protocol"]
for group in order:
    if group not in groups:
        continue
    lines.append(f"### {group}\n")
    for method in sorted(groups[group], key=lambda m: m["name"]):
        lines.append(f"#### `{method['name']}`\n")
        lines.append(method.get("summary", "") + "\n")
        if method.get("description"):
            lines.append(method["description"] + "\n")
        params = method.get("params", [])
        if params:
            lines.append("| param | type | required | description |")
            lines.append("| --- | --- | --- | --- |")
            for p in params:
                desc = (p.get("description") or "").replace("|", "\\|")
                lines.append(f"| `{p['name']}` | {schema_text(p.get('schema', {}))} | {'yes' if p.get('required') else 'no'} | {desc} |")
            lines.append("")
        result = method.get("result", {})
        lines.append(f"Result: {schema_text(result.get('schema', {}))}\n")

path = os.path.join(root, "SPEC.md")
text = open(path).read()
start, end = "<!-- GENERATED METHODS: start -->", "<!-- GENERATED METHODS: end -->"
before, rest = text.split(start, 1)
_, after = rest.split(end, 1)
open(path, "w").write(before + start + "\n\n" + "\n".join(lines) + "\n" + end + after)
print(f"SPEC.md: {len(doc['methods'])} methods")
