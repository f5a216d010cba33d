"""The server caps the math libraries' threads (one per worker by default): idle OpenMP/BLAS threads spin, and
on a busy server concurrency comes from batching and workers instead."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from coach.config import EmbeddingSettings

SCRIPT = """
import json
import numpy as np  # loads the BLAS library
from threadpoolctl import threadpool_info
from coach.adapters.embeddings import limit_math_threads
applied = limit_math_threads({n})
print(json.dumps({{"applied": applied, "after": [i["num_threads"] for i in threadpool_info()],
                  "torch": "torch" in __import__("sys").modules}}))
"""


@pytest.mark.parametrize("n", [1, 2])
def test_loaded_blas_libraries_are_capped_at_the_setting(n: int) -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT.format(n=n)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert got["applied"] == {"blas": n}
    assert got["after"] and all(t == n for t in got["after"]), got
    assert not got["torch"]  # torch is capped only when a model loaded it; never imported just for this


def test_zero_leaves_the_libraries_alone_and_the_default_is_one() -> None:
    from coach.adapters.embeddings import limit_math_threads

    assert limit_math_threads(0) == {}
    assert EmbeddingSettings().server_threads == 1
