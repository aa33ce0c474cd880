"""The course as the home screen shows it (tui/course_map.py): pure views of loaded data."""

from __future__ import annotations

from pathlib import Path

from dockerlab.tui.course_map import (
    CourseData,
    Item,
    SectionInfo,
    SectionView,
    _add_unlisted,
    next_item,
)
from dockerlab.tui.text import commands_in


def item(kind: str, item_id: str, state: str, section: str = "s") -> Item:
    return Item(kind, item_id, item_id, section, state, state)  # type: ignore[arg-type]


def view(section: str, *items: Item) -> SectionView:
    return SectionView(SectionInfo(section, section, ""), tuple(items))


def test_next_is_the_first_page_of_an_untouched_section() -> None:
    views = [view("a", item("page", "p1", "todo"), item("lab", "l1", "todo"))]
    assert next_item(views) == views[0].items[0]


def test_next_is_the_work_once_the_section_is_started_or_its_pages_are_read() -> None:
    started = [
        view(
            "a",
            item("page", "p1", "todo"),
            item("lab", "l1", "started"),
            item("quiz", "q1", "todo"),
        )
    ]
    nxt = next_item(started)
    assert nxt is not None
    assert nxt.id == "l1"
    read = [view("a", item("page", "p1", "read"), item("quiz", "q1", "todo"))]
    nxt = next_item(read)
    assert nxt is not None
    assert nxt.id == "q1"


def test_next_skips_done_sections_and_missing_items_and_resumes_the_last_lab() -> None:
    views = [
        view("a", item("lab", "l1", "done"), item("quiz", "q1", "done")),
        view(
            "b",
            item("lab", "gone", "missing"),
            item("lab", "l2", "todo"),
            item("lab", "l3", "started"),
        ),
    ]
    nxt = next_item(views)
    assert nxt is not None
    assert nxt.id == "l2"
    resumed = next_item(views, last_place="lab:l3/some-step")
    assert resumed is not None
    assert resumed.id == "l3"
    assert next_item([view("a", item("lab", "l1", "done"))]) is None


def test_labs_and_quizzes_no_section_lists_still_show_up() -> None:
    data = CourseData(
        "t",
        [SectionInfo("a", "A", "", labs=("l1",))],
        labs={"l1": object(), "extra": object()},  # type: ignore[dict-item]
        quizzes={"qx": object()},  # type: ignore[dict-item]
    )
    _add_unlisted(data)
    assert data.sections[-1].labs == ("extra",)
    assert data.sections[-1].quizzes == ("qx",)


def test_page_titles_come_from_the_first_heading(tmp_path: Path) -> None:
    page = tmp_path / "intro.md"
    page.write_text("\n# Registries, briefly\n\ntext\n")
    data = CourseData("t", [], pages={"intro": page})
    assert data.page_title("intro") == "Registries, briefly"
    assert data.page_title("not-written") == "Not written"


def test_commands_are_taken_from_fenced_blocks_only() -> None:
    text = """Run it:

```
docker run -d \\
  -p 5000:5000 registry:2
# a comment
$ docker ps
```

Not `this`.
"""
    assert commands_in(text) == ["docker run -d -p 5000:5000 registry:2", "docker ps"]
