"""The README, `--help` and the example config stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from watcher.cli import COMMANDS, build_parser, main
from watcher.config import reference_markdown, schema_keys

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
EXAMPLE = (REPO / "config" / "followup-watcher.example.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_in_the_readme(command):
    assert f"followup-watcher {command}" in README


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_commands_help_shows_an_example(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert re.search(r"examples?:\n  followup-watcher ", capsys.readouterr().out)


@pytest.mark.parametrize("key", schema_keys())
def test_every_config_key_is_in_the_readme_reference(key):
    assert f"`{key}`" in README


@pytest.mark.parametrize("key", schema_keys())
def test_every_config_key_is_in_the_example_config(key):
    section, _, name = key.rpartition(".")
    assert f"[{section}]" in EXAMPLE
    assert re.search(rf"^#?\s*{re.escape(name)}\s*=", EXAMPLE, re.MULTILINE), key


def test_readme_test_command_is_what_ci_runs():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in README
    assert ".venv/bin/python -m pytest" in ci


def test_exit_codes_in_help_match_the_readme():
    epilog = build_parser().epilog
    for code in ("75", "78"):
        assert code in epilog and f"`{code}`" in README


def test_readme_config_reference_is_generated_from_the_schema():
    start, end = "<!-- config-reference:start -->\n", "<!-- config-reference:end -->"
    assert README[README.index(start) + len(start):README.index(end)] == reference_markdown()
