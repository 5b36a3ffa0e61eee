"""The pages' figures and downloads are byte for byte what they were before the speed work.

``tests/fixtures/outputs-*.json`` hold SHA-256 hashes of every figure's JSON and every
table's CSV for the views of ``tests/outputs.py``, made by the code before selection was
indexed and the map's marks were worked out on arrays. A change that alters a picture or
a download on purpose regenerates them (``python tests/outputs.py DATA OUT``) and says so.
"""

import importlib.util
import json
from pathlib import Path

import pytest
from outputs import outputs

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent / "benchmarks"


def _generate(out: Path, events: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate_outputs", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(out, events, seed=0)


@pytest.mark.parametrize("size", ["curated", "3000"])
def test_figures_and_downloads_unchanged(size, tmp_path):
    root = HERE.parent if size == "curated" else _generate(tmp_path / "data", int(size))
    expected = json.loads((HERE / "fixtures" / f"outputs-{size}.json").read_text(encoding="utf-8"))
    got = outputs(root)
    assert got.keys() == expected.keys()
    for view, hashes in expected.items():
        changed = sorted(k for k in hashes if got[view].get(k) != hashes[k])
        assert not changed, f"{view}: {changed} differ from before"
        assert got[view].keys() == hashes.keys(), view
