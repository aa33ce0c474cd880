"""Short answers: forgiving about form (case, spaces, punctuation, one typo), strict about facts."""

from __future__ import annotations

import pytest

from dockerlab.quiz.matching import is_typo_of, match_short, normalise

WEBHOOK = ["webhook", "webhooks", "web hook", "web-hook"]


@pytest.mark.parametrize(
    "typed",
    [
        "webhook",
        "WebHook",
        "  webhook  ",
        "webhook.",
        '"webhook"',
        "`webhook`",
        "Web-Hook!",
        "web   hook",
        "webhooks",
        "web hook",
        "Web\thook",
    ],
)
def test_case_whitespace_punctuation_and_synonyms_are_accepted_without_a_note(typed: str) -> None:
    verdict = match_short(typed, WEBHOOK)
    assert verdict.accepted
    assert verdict.note is None


def test_normalise_folds_case_drops_punctuation_and_squeezes_spaces() -> None:
    assert normalise("  It's   the  Web-Hook!  ") == "its the webhook"
    assert normalise("ＷＥＢＨＯＯＫ") == "webhook"  # full-width letters fold too


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("webhok", "webhook"),
        ("wehbook", "webhook"),
        ("webhoook", "webhook"),
        ("wbhook", "webhook"),
        ("webhoox", "webhook"),
    ],
)
def test_one_typo_is_accepted_with_a_spelling_note(typed: str, meant: str) -> None:
    verdict = match_short(typed, WEBHOOK)
    assert verdict.accepted
    assert verdict.matched == meant
    assert verdict.note == f"Spelling: it is written '{meant}' (you wrote '{typed}')."


@pytest.mark.parametrize(
    ("typed", "accept"),
    [
        ("wbhok", WEBHOOK),  # two edits
        ("hookweb", WEBHOOK),
        ("tar", ["tag"]),  # too short for a typo to be harmless
        ("5001", ["5000"]),  # a digit is a fact, not a spelling
        ("registry3", ["registry2"]),
        ("", WEBHOOK),
        ("   ", WEBHOOK),
        ("?!", WEBHOOK),
    ],
)
def test_wrong_answers_are_refused(typed: str, accept: list[str]) -> None:
    assert not match_short(typed, accept).accepted


def test_typos_can_be_switched_off() -> None:
    assert not match_short("ca.cert", ["ca.crt"], typos=False).accepted
    assert match_short("ca.cert", ["ca.crt"]).accepted  # which is why certs-d-file turns it off


def test_regex_matches_the_whole_answer_ignoring_case_and_extra_spaces() -> None:
    regex = r"(docker )?(image )?tag"
    assert match_short("docker  image   TAG", ["tag"], regex).accepted
    assert match_short(" docker tag ", ["tag"], regex).accepted
    assert not match_short("docker tagging", ["tag"], regex).accepted
    assert not match_short("retag", ["tag"], regex, typos=False).accepted


def test_regex_accepts_what_the_list_cannot_enumerate() -> None:
    regex = r"[A-Za-z0-9_.-]+[.]crt"
    assert match_short("registry.crt", ["ca.crt"], regex, typos=False).accepted
    assert not match_short("client.cert", ["ca.crt"], regex, typos=False).accepted


def test_exact_matches_win_over_typos() -> None:
    verdict = match_short("webhooks", WEBHOOK)
    assert (verdict.matched, verdict.note) == ("webhooks", None)


def test_is_typo_of_counts_a_swap_of_neighbours_as_one_edit() -> None:
    assert is_typo_of("rgeistry", "registry")
    assert not is_typo_of("ergistyr", "registry")
