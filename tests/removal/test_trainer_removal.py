"""Trainer mode is a plug-in: deleting what docs/trainer.md lists leaves a clean, passing app.

The list is parsed from the document itself, so the recipe and this proof cannot drift apart.
In a copy of the tracked files without the listed ones, ruff, mypy and the unit and
integration tiers must pass, and TRAINER_MODE=1 must stop the BFF at start naming the plug-in.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "docs" / "trainer.md"
MARKER = "<!-- trainer-removal-list"
BIN = Path(sys.executable).parent
# The venv's editable install maps bff, api, ... to the full tree, and would import a deleted
# module (bff.trainer) from there. Every process started in the copy drops that finder first.
NO_EDITABLE = """import sys
sys.meta_path[:] = [f for f in sys.meta_path if "Editable" not in getattr(f, "__name__", "")]
"""


def removal_list() -> list[str]:
    """The paths in the fenced block after the marker in docs/trainer.md."""
    text = RECIPE.read_text(encoding="utf-8")
    block = re.search(r"```text\n(.*?)```", text[text.index(MARKER) :], re.S)
    assert block, "docs/trainer.md: no ```text block after the removal-list marker"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def tracked_files() -> list[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: nothing to copy the tracked files from")
    return [name for name in listed.decode().split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def without_trainer(tmp_path_factory) -> Path:
    """A copy of the tracked files with exactly the listed paths deleted."""
    base = tmp_path_factory.mktemp("removal")
    (base / "site").mkdir()
    (base / "site" / "sitecustomize.py").write_text(NO_EDITABLE)
    copy = base / "without-trainer"
    for name in tracked_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    for entry in removal_list():
        path = copy / entry
        shutil.rmtree(path) if entry.endswith("/") else path.unlink()
    return copy


def environment(copy: Path) -> dict[str, str]:
    """The copy's packages first, so nothing is imported from the full tree."""
    paths = (copy.parent / "site", copy, copy / "idp-mock")
    return os.environ | {"PYTHONPATH": os.pathsep.join(map(str, paths))}


def run(copy: Path, *command: str) -> None:
    done = subprocess.run(command, cwd=copy, env=environment(copy), capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout[-4000:]}{done.stderr[-2000:]}"


def test_every_listed_path_exists_so_the_recipe_is_current():
    tracked = tracked_files()
    for entry in removal_list():
        assert any(name == entry or name.startswith(entry.rstrip("/") + "/") for name in tracked), (
            f"docs/trainer.md lists {entry}, which is not in the repository"
        )


def test_without_the_plugin_trainer_mode_on_stops_the_start_naming_it(without_trainer):
    script = (
        "from bff import create_app\n"
        "from bff.config import Config, ConfigError\n"
        "values = dict(oidc_issuer='http://127.0.0.1:9', client_id='c', client_secret='s',\n"
        "    scope='openid', bff_url='http://localhost:8000', api_url='http://127.0.0.1:9',\n"
        "    redis_url='redis://127.0.0.1:9', secret_key='k')\n"
        "try:\n"
        "    create_app(Config(**values, trainer_mode=True))\n"
        "except ConfigError as exc:\n"
        "    assert 'bff/trainer/' in str(exc), exc\n"
        "else:\n"
        "    raise SystemExit('started without the plug-in')\n"
    )
    run(without_trainer, sys.executable, "-c", script)


def test_without_the_plugin_lint_types_and_the_unit_and_integration_tiers_pass(without_trainer):
    # The tiers mostly wait on the services they start: lint and types run meanwhile.
    tiers = subprocess.Popen(
        [sys.executable, "-m", "pytest", "tests/integration", "tests/unit", "-q"]
        + ["-p", "no:cacheprovider"],
        cwd=without_trainer,
        env=environment(without_trainer),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        run(without_trainer, str(BIN / "ruff"), "check", ".")
        run(without_trainer, str(BIN / "ruff"), "format", "--check", ".")
        run(without_trainer, sys.executable, "-m", "mypy")
    finally:
        output, _ = tiers.communicate(timeout=900)
    assert tiers.returncode == 0, output[-6000:]
