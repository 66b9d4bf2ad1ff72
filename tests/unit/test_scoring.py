"""The score of API.md in integer arithmetic, on its edges."""

from __future__ import annotations

from domain.category import Category
from domain.scoring import Result, Scored, percent, score

A, M, N = Result.ALIGNED, Result.MISALIGNED, Result.NOT_APPLICABLE
SEC, BAK = Category.SECURITY, Category.BACKUP_DR


def test_nothing_answered_is_null_overall_and_per_category() -> None:
    items = [Scored(SEC, 5, None), Scored(BAK, 3, None)]
    assert score(items) == {"overall": None, "by_category": {"security": None, "backup_dr": None}}


def test_all_not_applicable_is_null_not_zero() -> None:
    items = [Scored(SEC, 5, N), Scored(SEC, 10, N)]
    assert score(items) == {"overall": None, "by_category": {"security": None}}


def test_not_applicable_counts_in_neither_part() -> None:
    assert percent([Scored(SEC, 4, A), Scored(SEC, 10, N)]) == 100
    assert percent([Scored(SEC, 4, M), Scored(SEC, 10, N)]) == 0


def test_weights_one_and_ten() -> None:
    # 10 aligned of 11 answered: 90.909... -> 91; 1 of 11: 9.09 -> 9
    assert percent([Scored(SEC, 10, A), Scored(SEC, 1, M)]) == 91
    assert percent([Scored(SEC, 1, A), Scored(SEC, 10, M)]) == 9


def test_halves_round_up_and_thirds_round_to_nearest() -> None:
    # 1 of 8 = 12.5 -> 13; 1 of 3 = 33.3 -> 33; 2 of 3 = 66.7 -> 67; 1 of 2 = 50
    assert percent([Scored(SEC, 1, A), Scored(SEC, 7, M)]) == 13
    assert percent([Scored(SEC, 1, A), Scored(SEC, 2, M)]) == 33
    assert percent([Scored(SEC, 2, A), Scored(SEC, 1, M)]) == 67
    assert percent([Scored(SEC, 1, A), Scored(SEC, 1, M)]) == 50


def test_unanswered_items_do_not_count() -> None:
    assert percent([Scored(SEC, 3, A), Scored(SEC, 10, None)]) == 100


def test_by_category_in_the_catalogues_order_and_overall_weighs_everything() -> None:
    items = [
        Scored(SEC, 10, A),
        Scored(BAK, 1, M),
        Scored(SEC, 1, M),
        Scored(BAK, 1, N),
    ]
    result = score(items)
    assert list(result["by_category"]) == ["security", "backup_dr"]
    assert result == {"overall": 83, "by_category": {"security": 91, "backup_dr": 0}}
    assert isinstance(result["overall"], int)
