"""What users install: the wheel carries schemas and roles, and the docs match the schemas."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_field_reference_is_generated_from_the_current_schemas() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("trackerkit-*.whl")
    return built


def test_wheel_carries_schemas_roles_and_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    schemas = {f"trackerkit/schemas/{path.name}" for path in (ROOT / "schemas").glob("*.json")}
    roles = {
        f"trackerkit/roles/{path.relative_to(ROOT / 'roles').as_posix()}"
        for path in (ROOT / "roles").rglob("*.yaml")
    }
    templates = {
        f"trackerkit/site_templates/{path.name}"
        for path in (ROOT / "src" / "trackerkit" / "site_templates").iterdir()
    }
    assert schemas
    assert any("/stories/" in name for name in roles)
    assert {
        "trackerkit/site_templates/base.html",
        "trackerkit/site_templates/style.css",
    } <= templates
    assert schemas | roles | templates | {"trackerkit/py.typed"} <= names


def test_installed_wheel_validates_without_the_repository(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(site)}
    probe = (
        "import sys, trackerkit; "
        "assert trackerkit.__file__.startswith(sys.argv[1]), trackerkit.__file__; "
        "print(len(trackerkit.load_catalog().roles))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(site)],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "7\n", "")
    cli = subprocess.run(
        [sys.executable, "-m", "trackerkit", "validate"],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert "7 roles" in cli.stdout
    pages = subprocess.run(
        [sys.executable, "-m", "trackerkit", "site", "-o", "web"],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (pages.returncode, pages.stderr) == (0, ""), pages.stdout
    assert (elsewhere / "web" / "roles" / "psr-ii.html").is_file()


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.split("```", 1)[0].strip() for block in section.split("```sh")[1:]]


def test_ci_runs_the_readme_test_command() -> None:
    main_job, test_command = quick_start_commands()
    assert main_job.endswith("trackerkit build")
    assert "pytest" in test_command
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_ci_installs_the_browser_and_axe_core_outside_the_source() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in ("chromium", "chromium-driver", "npm"):
        assert f"packages+=({package})" in script
    assert 'npm install --silent --no-audit --no-fund --prefix "$axe_dir" axe-core@4' in script
    assert 'axe_dir="${TMPDIR:-/tmp}/' in script
    assert 'export AXE_CORE_JS="$axe_dir/node_modules/axe-core/axe.min.js"' in script
    assert script.index("export AXE_CORE_JS") < script.index("-m pytest")
