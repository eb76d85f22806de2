"""One hash function (growthpole/provenance.py): digests agree with sha256sum and the
canonical JSON, and no other module computes one."""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from growthpole.provenance import bytes_sha256, canonical_json, file_sha256, payload_sha256

PACKAGE = Path(__file__).resolve().parent.parent / "growthpole"


def test_file_hash_is_sha256sum(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 9000)  # more than one read block
    try:
        out = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True)
    except FileNotFoundError:
        pytest.skip("sha256sum not installed")
    assert file_sha256(path) == out.stdout.split()[0]


def test_payload_hash_is_the_hash_of_the_canonical_json():
    payload = {"b": [1, 2.5], "a": {"z": None, "y": "绍兴"}}
    text = '{"a":{"y":"\\u7ecd\\u5174","z":null},"b":[1,2.5]}'
    assert canonical_json(payload) == text
    assert payload_sha256(payload) == hashlib.sha256(text.encode()).hexdigest()
    spaced = json.dumps(payload, sort_keys=True)
    assert payload_sha256(payload, compact=False) == hashlib.sha256(spaced.encode()).hexdigest()
    assert bytes_sha256(b"ab", b"c") == hashlib.sha256(b"abc").hexdigest()


def test_no_module_but_provenance_imports_hashlib():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "provenance.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if "hashlib" in names:
                offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders, f"hash through growthpole.provenance, not hashlib: {offenders}"
