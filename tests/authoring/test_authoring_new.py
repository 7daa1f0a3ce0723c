"""``studylog new``: the template, the default date and title, never overwriting, and hostile titles."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import yaml
from material.plugins.blog.structure.config import PostConfig
from mkdocs.utils.meta import YAML_RE

from studylog.authoring.new import create_log
from studylog.authoring.slug import MAX_SLUG_LENGTH, slugify

AUG10 = dt.date(2021, 8, 10)


def read_front_matter(path: Path) -> dict:
    """The front matter as mkdocs-material's blog plugin reads it (its regex, then safe YAML)."""
    match = YAML_RE.match(path.read_text(encoding="utf-8"))
    assert match, "no front matter the blog plugin can find"
    return yaml.safe_load(match.group(1))


def blog_plugin_errors(path: Path, meta: dict) -> list:
    """The errors mkdocs-material's PostConfig reports for this front matter (what fails a build)."""
    config = PostConfig(str(path))
    config.load_dict({k: v for k, v in meta.items() if k in config})
    errors, _warnings = config.validate()
    return errors


def all_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_new_writes_the_template_with_front_matter_the_blog_plugin_accepts(tmp_path, run_cli):
    code, out, err = run_cli(
        "new",
        "--date",
        "2021-08-10",
        "--title",
        "Day 7 — Optimization",
        "--docs-dir",
        str(tmp_path / "docs"),
        "--category",
        "Boostcamp AI Tech",
        "--tag",
        "week 2",
        "--tag",
        "optimization",
    )
    path = tmp_path / "docs" / "blog" / "posts" / "2021-08-10-day-7-optimization.md"
    assert (code, out, err) == (0, f"{path}\n", "")
    meta = read_front_matter(path)
    assert meta == {
        "date": AUG10,
        "title": "Day 7 — Optimization",
        "categories": ["Boostcamp AI Tech"],
        "tags": ["week 2", "optimization"],
    }
    assert blog_plugin_errors(path, meta) == []
    headings = re.findall(r"^## (.+)$", path.read_text(encoding="utf-8"), re.M)
    assert headings == [
        "Today's schedule (오늘 일정)",
        "Lecture notes (강의 내용 정리)",
        "Assignment (과제 수행 과정)",
        "Peer session (피어 세션)",
        "Retrospective (학습 회고)",
    ]


def test_new_defaults_to_today_and_a_study_log_title(tmp_path, run_cli):
    before = dt.date.today()
    code, out, _ = run_cli("new", "--docs-dir", str(tmp_path))
    after = dt.date.today()
    assert code == 0
    path = Path(out.strip())
    day = dt.date.fromisoformat(path.name[:10])
    assert day in (before, after)  # the day may turn while the test runs
    assert path.name == f"{day.isoformat()}-study-log.md"
    meta = read_front_matter(path)
    assert meta["title"] == f"Study log {day.isoformat()}"
    assert meta["date"] == day and meta["categories"] == [] and meta["tags"] == []


def test_new_refuses_to_overwrite_an_existing_log(tmp_path, run_cli):
    path = create_log(tmp_path, date=AUG10, title="Day 7")
    path.write_text("my notes\n", encoding="utf-8")
    code, out, err = run_cli("new", "--date", "2021-08-10", "--title", "Day 7", "--docs-dir", str(tmp_path))
    assert code == 1
    assert out == ""
    assert err == f"{path}:1: a log already exists here; it was left untouched\n"
    assert path.read_text(encoding="utf-8") == "my notes\n"


@pytest.mark.parametrize("value", ["10/08/2021", "2021-8-10", "20210810", "2021-02-30", "yesterday"])
def test_new_rejects_a_date_that_is_not_yyyy_mm_dd_as_a_usage_error(tmp_path, run_cli, value):
    code, out, err = run_cli("new", "--date", value, "--docs-dir", str(tmp_path))
    assert (code, out) == (2, "")
    assert f"argument --date: {value!r} is not a date (expected YYYY-MM-DD)" in err
    assert all_files(tmp_path) == []


HOSTILE_TITLES = [
    "../../../../etc/passwd",
    "/etc/cron.d/evil",
    "..",
    "a/../../b",
    "..\\..\\windows\\system32",
    "C:\\Windows\\evil",
    "~/.bashrc",
    "\x00\x1b[31mred\x07",
    "line one\nline two\r\n../x",
    "\u202e\u2028../../x",
    "." * 300,
    "부스트캠프/../../7일차",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_no_title_can_make_new_write_outside_the_posts_folder(tmp_path, title):
    docs = tmp_path / "site" / "docs"
    path = create_log(docs, date=AUG10, title=title)
    posts = (docs / "blog" / "posts").resolve()
    assert path.resolve().parent == posts
    assert all_files(tmp_path) == [str(path.relative_to(tmp_path))]
    name = path.name
    assert re.fullmatch(r"2021-08-10-[a-z0-9가-힣-]+\.md", name), name
    assert len(name.encode("utf-8")) <= 255
    meta = read_front_matter(path)  # the title itself reads back as YAML, without control characters
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in meta["title"])


def test_new_keeps_hangul_and_drops_control_characters_from_the_title(tmp_path):
    path = create_log(tmp_path, date=AUG10, title='부스트캠프 7일차: "Optimization"\x07')
    assert path.name == "2021-08-10-부스트캠프-7일차-optimization.md"
    assert read_front_matter(path)["title"] == '부스트캠프 7일차: "Optimization"'


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("[Boostcamp AI Tech] 7일차 학습정리", "boostcamp-ai-tech-7일차-학습정리"),
        ("Adam & AdamW: β₂ = 0.999", "adam-adamw-2-0-999"),
        ("Crème Brûlée", "creme-brulee"),
        ("\u1107\u116e\u1109\u1173\u1110\u1173", "부스트"),  # decomposed (NFD) jamo compose to syllables
        ("---", "log"),
        ("", "log"),
    ],
)
def test_slugify_keeps_ascii_letters_digits_and_hangul(text, slug):
    assert slugify(text) == slug


def test_slugify_caps_the_length():
    assert len(slugify("가" * 500)) == MAX_SLUG_LENGTH


def test_new_makes_the_posts_folder_when_missing(tmp_path):
    docs = tmp_path / "docs"
    path = create_log(docs, date=AUG10)
    assert path == docs / "blog" / "posts" / "2021-08-10-study-log.md"
    assert os.access(path, os.R_OK)
