"""The CLI starts fast (issue 13): `coach --help`, `coach <command> --help` and the commands that only read the
database import neither the model stack nor the settings model, and `coach.env` finds the data folder, the
database and the log level exactly where `Settings` finds them. (Timings: `python -m bench.bench_cli`.)"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.config import Settings
from coach.env import DataPlace, read_place

ROOT = Path(__file__).resolve().parents[2]
MODEL_STACK = ("torch", "sentence_transformers", "chromadb", "sklearn", "numpy")
PROBE = (
    "import sys\n"
    "from api.cli import app\n"
    "if sys.argv[1:]:\n"
    "    try:\n"
    "        app(sys.argv[1:], prog_name='coach')\n"
    "    except SystemExit as exc:\n"
    "        assert exc.code in (0, None), exc.code\n"
    "watched = {watched!r}\n"
    "print('LOADED', sorted(m for m in watched if m in sys.modules), file=sys.stderr)\n"
)


def loaded(args: list[str], watched: tuple[str, ...], data_dir: Path) -> list[str]:
    """The watched top-level modules that `coach ARGS` imported, run in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(PYTHONPATH=str(ROOT), COACH_DATA_DIR=str(data_dir))
    r = subprocess.run(
        [sys.executable, "-c", PROBE.format(watched=watched), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0 and "LOADED" in r.stderr, (args, r.stdout[-1000:], r.stderr[-2000:])
    return list(ast.literal_eval(r.stderr.rsplit("LOADED", 1)[-1].strip()))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-startup") / "data"  # created (and migrated) by the first command


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["sessions", "--help"], ["workshop", "--help"], ["corrections", "list", "--help"]]
)
def test_import_and_help_load_neither_the_model_nor_settings_nor_the_database(args: list[str], data_dir: Path) -> None:
    heavy = (*MODEL_STACK, "pydantic_settings", "sqlalchemy", "alembic")
    assert loaded(args, heavy, data_dir) == []


def test_database_commands_load_no_model_and_no_settings_model(data_dir: Path) -> None:
    found = loaded(["keys", "create", "--team", "startup"], (*MODEL_STACK, "pydantic_settings", "sqlalchemy"), data_dir)
    assert found == ["sqlalchemy"]  # a write: the database, and nothing of the model or the settings model


@pytest.fixture(scope="module")
def workshop_code(data_dir: Path) -> str:
    """A workshop in the module's database (created through the full store, which also migrates it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(PYTHONPATH=str(ROOT), COACH_DATA_DIR=str(data_dir))
    r = subprocess.run(
        [sys.executable, "-m", "api.cli", "workshop", "create", "--title", "Start-up check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout.split()[-1]


@pytest.fixture(scope="module")
def session_prefix(data_dir: Path, workshop_code: str) -> str:
    """A session in the module's database, written through the store (no model needed to create one)."""
    from coach.adapters.repository import SqlSessionStore
    from coach.adapters.sql import Database

    db = Database(f"sqlite:///{data_dir / 'coach.db'}")
    try:
        with SqlSessionStore(db).transaction() as tx:
            return tx.create("local", "workshop", workshop_code, "Ada", {"phase": "welcome"}).id[:8]
    finally:
        db.dispose()


@pytest.mark.parametrize(
    "args",
    [["sessions"], ["workshop", "list"], ["corrections", "list"], ["workshop", "export"], ["keys", "list"], ["export"]],
)
def test_listings_of_a_database_at_head_read_it_without_the_database_layer(
    args: list[str], data_dir: Path, workshop_code: str, session_prefix: str
) -> None:
    if args == ["workshop", "export"]:
        args = [*args, workshop_code]
    if args == ["export"]:  # a session of the workshop, named by a short prefix
        args = [*args, session_prefix]
    assert loaded(args, (*MODEL_STACK, "pydantic_settings", "sqlalchemy", "alembic"), data_dir) == []


@pytest.mark.parametrize("args", [["sessions"], ["corrections", "list"]])
def test_a_listing_on_a_new_data_folder_creates_the_database_through_the_full_store(
    args: list[str], tmp_path: Path
) -> None:
    assert loaded(args, ("sqlalchemy",), tmp_path / "new") == ["sqlalchemy"]
    assert (tmp_path / "new").is_dir()


def _fresh_env(monkeypatch: pytest.MonkeyPatch, where: Path, env: dict[str, str], dotenv: str | None) -> None:
    for name in list(os.environ):
        if name.upper().startswith("COACH_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if dotenv is not None:
        (where / ".env").write_text(dotenv, encoding="utf-8")
    monkeypatch.chdir(where)


@pytest.mark.parametrize(
    ("env", "dotenv"),
    [
        ({}, None),
        ({"COACH_DATA_DIR": "/srv/coach-data"}, None),
        ({}, "COACH_DATA_DIR=from-file\ncoach_log_level=debug\n"),
        ({"COACH_DATA_DIR": "from-env", "coach_database_url": "sqlite:////tmp/x.db"}, "COACH_DATA_DIR=from-file\n"),
        ({"Coach_Log_Level": "warning"}, 'export COACH_DATABASE_URL="postgresql://u@h/db"  # shared\n'),
        ({"COACH_DATA_DIR": "", "COACH_DATABASE_URL": ""}, "COACH_LOG_LEVEL=LOUD\n"),
        ({"COACH_EMBEDDING__BACKEND": "hash"}, "COACH_API__JOIN_PAGE=https://intranet/coach\n"),
    ],
)
def test_place_is_where_settings_look(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], dotenv: str | None
) -> None:
    _fresh_env(monkeypatch, tmp_path, env, dotenv)
    settings = Settings()
    place = read_place()
    assert place == settings.place
    assert place.resolved_database_url == settings.resolved_database_url


def test_place_defaults_and_a_named_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _fresh_env(monkeypatch, tmp_path, {}, None)
    assert read_place() == DataPlace(Path(".coach-data"), False, None, "INFO")
    assert read_place().resolved_database_url == f"sqlite:///{tmp_path / '.coach-data' / 'coach.db'}"
    _fresh_env(monkeypatch, tmp_path, {"COACH_DATA_DIR": ".coach-data"}, None)
    assert read_place().data_dir_named  # named, even when it is the default's name: then it may be created
