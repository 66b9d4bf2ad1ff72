"""`techplan serve --workers N`: how many API processes, and its default."""

from __future__ import annotations

import pytest

from services import cli


def test_workers_default_to_web_concurrency(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert cli.parser().parse_args(["serve"]).workers == 3
    monkeypatch.setenv("WEB_CONCURRENCY", "not a number")
    assert cli.parser().parse_args(["serve"]).workers == 1
    monkeypatch.delenv("WEB_CONCURRENCY")
    assert cli.parser().parse_args(["serve"]).workers == 1
    assert cli.parser().parse_args(["serve", "--workers", "4"]).workers == 4


def test_no_workers_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert cli.main(["serve", "--workers", "0"]) == 2
    assert capsys.readouterr().err.strip() == "techplan: --workers must be at least 1"
