"""The one walk of the `all` / `any` / `not` tree (model/checks.py: walk, children, leaves)."""

from __future__ import annotations

from dockerlab.model import checks as m

FILE = m.FileCheck(kind="file", path="a")
CMD = m.CommandCheck(kind="command", run="true")
CONTAINER = m.ContainerCheck(kind="container", name="registry")
TREE = m.AllCheck(
    kind="all",
    checks=[
        FILE,
        m.NotCheck(kind="not", check=CMD),
        m.AnyCheck(kind="any", checks=[CONTAINER, FILE]),
    ],
)


def test_walk_visits_every_check_depth_first_with_its_path() -> None:
    walked = [(at.path, at.check.kind) for at in m.walk(TREE, ("steps", 0, "check"))]
    root = ("steps", 0, "check")
    assert walked == [
        (root, "all"),
        ((*root, "checks", 0), "file"),
        ((*root, "checks", 1), "not"),
        ((*root, "checks", 1, "check"), "command"),
        ((*root, "checks", 2), "any"),
        ((*root, "checks", 2, "checks", 0), "container"),
        ((*root, "checks", 2, "checks", 1), "file"),
    ]


def test_a_leaf_is_its_own_walk_and_has_no_children() -> None:
    assert list(m.walk(CMD)) == [m.CheckAt((), CMD)]
    assert m.children(CMD) == []
    assert list(m.leaves(CMD)) == [CMD]


def test_children_are_only_the_checks_directly_inside() -> None:
    assert [c.kind for c in m.children(TREE)] == ["file", "not", "any"]
    assert m.children(m.NotCheck(kind="not", check=CMD)) == [CMD]


def test_leaves_are_the_checks_that_look_at_state() -> None:
    assert [c.kind for c in m.leaves(TREE)] == ["file", "command", "container", "file"]


def test_a_deep_tree_is_walked_to_the_bottom() -> None:
    check: m.Check = CMD
    for _ in range(40):
        check = m.NotCheck(kind="not", check=check)
    assert list(m.leaves(check)) == [CMD]
    assert len(next(at for at in m.walk(check) if at.check is CMD).path) == 40
