"""Fingerprints: what must trigger a rebuild does, what must not does not."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.build.fingerprints import notebook_source_hash, tree_hash
from analysis.files.hashing import sha256_json
from tests.conftest import write_notebook


def test_notebook_hash_ignores_outputs_and_counts_but_not_sources(tmp_path: Path) -> None:
    path = write_notebook(tmp_path / "n.ipynb", [("params", "x = 1"), ("code", "print(x)")])
    before = notebook_source_hash(path)
    notebook = json.loads(path.read_text())
    notebook["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1"}]
    notebook["cells"][1]["execution_count"] = 7
    path.write_text(json.dumps(notebook))
    assert notebook_source_hash(path) == before
    notebook["cells"][1]["source"] = "print(x + 1)"
    path.write_text(json.dumps(notebook))
    assert notebook_source_hash(path) != before


def test_json_hash_ignores_key_order() -> None:
    assert sha256_json({"a": 1, "b": [1, 2]}) == sha256_json({"b": [1, 2], "a": 1})
    assert sha256_json({"a": 1}) != sha256_json({"a": 2})


def test_tree_hash_sees_content_and_names(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("ignored")
    first = tree_hash(tmp_path, {".py"})
    (tmp_path / "notes.txt").write_text("changed")
    assert tree_hash(tmp_path, {".py"}) == first
    (tmp_path / "m.py").write_text("x = 2\n")
    assert tree_hash(tmp_path, {".py"}) != first
