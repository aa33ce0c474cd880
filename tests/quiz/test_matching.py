"""Short answers: forgiving about form (case, spaces, wrapping quotes, one typo in a word), exact
about facts (dots, colons, slashes, dashes, digits and a flag's case inside a token)."""

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


def test_normalise_folds_case_and_spaces_and_keeps_what_is_inside_a_token() -> None:
    assert normalise("  It's   the  Web-Hook!  ") == "it's the web-hook"
    assert normalise("ＷＥＢＨＯＯＫ") == "webhook"  # full-width letters fold too
    assert normalise('"ca.crt".') == "ca.crt"
    assert normalise("`docker run -P`") == "docker run -P"
    assert normalise("127.0.0.1:5000/hello-world.") == "127.0.0.1:5000/hello-world"


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
    assert match_short("webhok", WEBHOOK).accepted
    assert not match_short("webhok", WEBHOOK, typos=False).accepted


@pytest.mark.parametrize(
    ("typed", "accept"),
    [
        ("cacrt", ["ca.crt"]),
        ("ca_crt", ["ca.crt"]),
        ("ca crt", ["ca.crt"]),
        ("ca.cert", ["ca.crt"]),  # a file name is exact, typos allowed or not
        ("ca.crt.pem", ["ca.crt"]),
        ("12.70.0.1", ["127.0.0.1"]),
        ("127.0.0.2", ["127.0.0.1"]),
        ("127001", ["127.0.0.1"]),
        ("50.00", ["5000"]),
        ("5,000", ["5000"]),
        ("-P", ["-p"]),
        ("--publish-all", ["--publish"]),
        ("replicas", ["--replicas"]),
        ("localhost:5001", ["localhost:5000"]),
        ("localhost5000", ["localhost:5000"]),
        ("/etc/docker/certs.d/127.0.0.1:5000", ["/etc/docker/certs.d/127.0.0.1-5000"]),
        ("registry:3", ["registry:2"]),
        ("registry2", ["registry:2"]),
        ("hello_world", ["hello-world"]),
        ("helloworld", ["hello-world"]),
        ("--replcas", ["--replicas"]),  # no typo inside a flag
        ("tag:lates", ["tag:latest"]),
    ],
)
def test_technical_near_misses_are_refused(typed: str, accept: list[str]) -> None:
    assert not match_short(typed, accept).accepted


@pytest.mark.parametrize(
    ("typed", "accept"),
    [
        ("CA.CRT", ["ca.crt"]),
        ("`ca.crt`", ["ca.crt"]),
        ("ca.crt.", ["ca.crt"]),
        ("'127.0.0.1'", ["127.0.0.1"]),
        ("-p", ["-p"]),
        ("--replicas", ["--replicas"]),
        ("Registry:2", ["registry:2"]),
        ("docker tag", ["docker tag"]),
    ],
)
def test_technical_answers_written_right_are_accepted(typed: str, accept: list[str]) -> None:
    verdict = match_short(typed, accept)
    assert verdict.accepted
    assert verdict.note is None


def test_a_typo_is_tolerated_in_a_word_beside_an_exact_token() -> None:
    verdict = match_short("docker imgae tag", ["docker image tag"])
    assert verdict.accepted
    assert verdict.note is not None
    assert not match_short("docker imgae --tga", ["docker image --tag"]).accepted
    assert not match_short("dokcer imgae tag", ["docker image tag"]).accepted  # two typos


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
