"""Regenerate the typed Python client (clients/python/outcome_coach_client) from the live app's OpenAPI document.

    make client                                  # the usual way (builds the generator's own environment once)
    python clients/python/generate.py            # the same, when the generator is already installed
    python clients/python/generate.py --check    # exit 1 (and show the diff) when the client is out of date

The document comes from `create_app(...).openapi()` of this checkout, with hermetic default settings (no .env, no
COACH_* variables), so it is the same on every machine. The generator is openapi-python-client, pinned in
requirements-generator.txt and installed in its own environment (.tools/), away from the app's dependencies;
its formatting step runs the ruff pinned there too, so the output depends only on the API and those pins.
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PACKAGE = "outcome_coach_client"
SPEC = HERE / "openapi.json"
CONFIG = HERE / "generator.yaml"


def generator() -> Path:
    """The openapi-python-client executable: $OPENAPI_PYTHON_CLIENT, else .tools/bin (what `make client` builds)."""
    named = os.environ.get("OPENAPI_PYTHON_CLIENT")
    candidates = [Path(named)] if named else [ROOT / ".tools" / "bin" / "openapi-python-client"]
    found = shutil.which("openapi-python-client")
    if found and not named:
        candidates.append(Path(found))
    for c in candidates:
        if c.exists():
            return c
    raise SystemExit(
        "openapi-python-client is not installed: run `make client-tools` (or `make client`), "
        "or set OPENAPI_PYTHON_CLIENT to its path."
    )


def spec_text() -> str:
    """The OpenAPI document of this checkout's app, as stable JSON text."""
    sys.path.insert(0, str(ROOT))
    from api.app import create_app
    from coach.config import Settings

    quiet = logging.getLogger("api.slack")  # "Slack is not configured" is not news here
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        app = create_app(Settings(_env_file=None))  # type: ignore[call-arg]
    finally:
        quiet.setLevel(level)
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def generate(spec: str, into: Path) -> Path:
    """Generate the package from `spec` into `into`/outcome_coach_client; returns that folder."""
    tool = generator()
    into.mkdir(parents=True, exist_ok=True)
    spec_file = into / "openapi.json"
    spec_file.write_text(spec, "utf-8")
    out = into / PACKAGE
    env = {**os.environ, "PATH": f"{tool.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    cmd = [str(tool), "generate", "--path", str(spec_file), "--meta", "none"]
    cmd += ["--output-path", str(out), "--config", str(CONFIG), "--overwrite"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (out / "__init__.py").exists():
        raise SystemExit(f"openapi-python-client failed:\n{done.stdout}\n{done.stderr}")
    if "Warning" in done.stdout:
        # A warning means part of the API was left out of the client: never ship that silently.
        raise SystemExit(f"openapi-python-client left parts out:\n{done.stdout}")
    (out / "py.typed").write_text("", "utf-8")  # PEP 561: the client's types are checked where it is used
    return out


def tree(root: Path) -> dict[str, str]:
    """Every generated file under `root` (relative path → text); caches (__pycache__, .ruff_cache) left out."""
    return {
        str(p.relative_to(root)): p.read_text("utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith((".", "__pycache__")) for part in p.relative_to(root).parts)
    }


def differences(fresh: Path, fresh_spec: str) -> list[str]:
    """A unified diff of what the committed client and spec lack compared with a fresh generation."""
    out: list[str] = []
    committed_spec = SPEC.read_text("utf-8") if SPEC.exists() else ""
    if committed_spec != fresh_spec:
        out += difflib.unified_diff(
            committed_spec.splitlines(True), fresh_spec.splitlines(True), "committed/openapi.json", "app/openapi.json"
        )
    old, new = tree(HERE / PACKAGE), tree(fresh)
    for name in sorted(old.keys() | new.keys()):
        if old.get(name) != new.get(name):
            out += difflib.unified_diff(
                old.get(name, "").splitlines(True),
                new.get(name, "").splitlines(True),
                f"committed/{PACKAGE}/{name}",
                f"fresh/{PACKAGE}/{name}",
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when the client is stale")
    args = parser.parse_args(argv)
    spec = spec_text()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(spec, Path(tmp))
        diff = differences(fresh, spec)
        if args.check:
            if diff:
                sys.stdout.writelines(diff[:400])
                print("\nThe client is out of date with the API: run `make client` and commit the result.")
                return 1
            print("The client matches the API.")
            return 0
        target = HERE / PACKAGE
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(fresh, target, ignore=shutil.ignore_patterns("__pycache__", ".*"))
        SPEC.write_text(spec, "utf-8")
    print(f"Regenerated {target.relative_to(ROOT)} ({len(tree(target))} files) from the app's OpenAPI document.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
