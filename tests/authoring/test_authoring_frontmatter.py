"""Jekyll front matter to the blog plugin's: each key's rule and each error, with its exact message and line."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from material.plugins.blog.structure.config import PostConfig
from mkdocs.utils.meta import YAML_RE

from studylog.authoring.convert import ConvertOptions, convert_post
from studylog.authoring.errors import FrontMatterError


def convert(front_matter: str, *, stem: str = "2021-08-10-day7", body: str = "# Day 7\n"):
    return convert_post(f"---\n{front_matter}---\n{body}", path="post.md", stem=stem)


def log_meta(markdown: str) -> dict:
    match = YAML_RE.match(markdown)
    assert match
    return yaml.safe_load(match.group(1))


def test_jekyll_keys_map_onto_the_blog_plugins_and_pass_its_checks(tmp_path):
    post = convert(
        'layout: post\ntitle:  "[Boostcamp AI Tech] 7일차 학습정리"\nsubtitle:   "Naver Boostcamp AI Tech Day7"\n'
        'categories: "Boostcamp-AI-Tech"\ntags: [2주차, 2021]\nuse_math: true\n'
    )
    meta = log_meta(post.markdown)
    assert meta == {
        "date": dt.date(2021, 8, 10),  # from the file name
        "title": "[Boostcamp AI Tech] 7일차 학습정리",
        "description": "Naver Boostcamp AI Tech Day7",
        "categories": ["Boostcamp-AI-Tech"],
        "tags": ["2주차", "2021"],  # a YAML number becomes a word
    }
    config = PostConfig(str(tmp_path / "post.md"))
    config.load_dict({k: v for k, v in meta.items() if k in config})
    errors, _ = config.validate()
    assert errors == []
    assert post.notes == []  # layout and use_math are dropped without a note


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("date: 2021-08-09\n", dt.date(2021, 8, 9)),
        ("date: 2021-08-09 21:30:00 +0900\n", dt.date(2021, 8, 9)),
        ("date: '2021-08-09 21:30'\n", dt.date(2021, 8, 9)),
        ("date: 2021-8-9\n", dt.date(2021, 8, 9)),
    ],
)
def test_the_front_matter_date_wins_over_the_file_name(line, expected):
    assert log_meta(convert(line).markdown)["date"] == expected


def test_plural_strings_are_split_on_spaces_and_singular_keys_are_one_word_as_jekyll_does():
    # Jekyll::Document: categories = split(categories) + [category]; tags = [tag] if tag else split(tags)
    meta = log_meta(convert("category: AI\ncategories: DL AI\ntags: week2 optimizer\n").markdown)
    assert meta["categories"] == ["DL", "AI"]
    assert meta["tags"] == ["week2", "optimizer"]
    meta = log_meta(convert("category: Machine Learning\ntag: deep learning\ntags: [ignored]\n").markdown)
    assert meta["categories"] == ["Machine Learning"]
    assert meta["tags"] == ["deep learning"]


def test_nested_lists_are_flattened_and_numbers_and_booleans_become_words():
    meta = log_meta(convert("categories: [[AI, Naver], DL]\ntags:\n  - [AI, Naver]\n  - 2021\n  - true\n").markdown)
    assert meta["categories"] == ["AI", "Naver", "DL"]
    assert meta["tags"] == ["AI", "Naver", "2021", "true"]


def test_pin_is_kept_and_excerpt_becomes_the_description():
    meta = log_meta(convert("pin: true\nexcerpt: a summary\n").markdown)
    assert (meta["pin"], meta["description"]) == (True, "a summary")
    assert "pin" not in log_meta(convert("pin: false\n").markdown)


@pytest.mark.parametrize(
    ("timezone", "expected"),
    [("Asia/Seoul", dt.date(2021, 8, 10)), ("UTC", dt.date(2021, 8, 9)), (None, dt.date(2021, 8, 10))],
)
def test_a_date_with_an_offset_is_the_day_in_the_sites_time_zone(timezone, expected):
    post = convert_post(
        "---\ndate: 2021-08-10 01:30:00 +0900\n---\nx\n",
        path="post.md",
        stem="2021-08-10-x",
        options=ConvertOptions(timezone=timezone),
    )
    assert log_meta(post.markdown)["date"] == expected


def test_subtitle_is_kept_next_to_an_existing_description():
    meta = log_meta(convert('title: T\nsubtitle: "S"\ndescription: "D"\n').markdown)
    assert (meta["description"], meta["subtitle"]) == ("D", "S")


def test_unpublished_post_becomes_a_draft_and_unknown_keys_are_noted():
    post = convert("title: T\npublished: false\ncomments: true\nauthor: me\nimage: /a.png\n")
    assert log_meta(post.markdown)["draft"] is True
    assert [str(n) for n in post.notes] == [
        "post.md: warning: front matter keys dropped (the blog plugin has no use for them): author, image"
    ]


def test_a_missing_title_falls_back_to_the_first_heading():
    assert (
        log_meta(convert("tags: [a]\n", body="intro\n\n# 부스트캠프 7일차\n").markdown)["title"] == "부스트캠프 7일차"
    )


def test_title_with_quotes_and_colons_reads_back_unchanged():
    title = 'Adam: "β₂" \\ 0.999 # not a comment'
    post = convert(f"title: {yaml.safe_dump(title).strip()}\n")
    assert log_meta(post.markdown)["title"] == title


def test_no_date_anywhere_is_an_error_at_line_1():
    with pytest.raises(FrontMatterError) as err:
        convert("title: T\n", stem="day7")
    assert str(err.value) == (
        "post.md:1: no date: the front matter has no 'date' and the file name does not start with YYYY-MM-DD-"
    )


def test_a_date_that_is_not_a_date_is_an_error_at_its_line_unless_the_file_name_has_one():
    with pytest.raises(FrontMatterError) as err:
        convert("title: T\ndate: yesterday\n", stem="day7")
    assert str(err.value) == "post.md:3: date: 'yesterday' is not a date (expected YYYY-MM-DD)"
    post = convert("title: T\ndate: yesterday\n")
    assert log_meta(post.markdown)["date"] == dt.date(2021, 8, 10)
    assert [str(n) for n in post.notes] == [
        "post.md:3: warning: date: 'yesterday' is not a date: the file name's 2021-08-10 is used"
    ]


def test_broken_yaml_is_an_error_at_the_line_of_the_problem():
    with pytest.raises(FrontMatterError) as err:
        convert('title: "T\ntags: [a, b]\n')
    # an unclosed quote is reported where it opens, not where the front matter ends
    assert str(err.value) == (
        "post.md:2: the front matter is not valid YAML: while scanning a quoted scalar, found unexpected end of stream"
    )
    with pytest.raises(FrontMatterError) as err:
        convert("title: T\ntags: [a, b\ncategories: x\n")
    assert str(err.value) == "post.md:4: the front matter is not valid YAML: expected ',' or ']', but got ':'"


def test_front_matter_that_is_not_a_mapping_is_an_error():
    with pytest.raises(FrontMatterError) as err:
        convert("- a\n- b\n")
    assert str(err.value) == "post.md:2: the front matter must be a mapping of keys to values, not a list"


def test_unclosed_front_matter_is_an_error_at_line_1():
    with pytest.raises(FrontMatterError) as err:
        convert_post("---\ntitle: T\n# Day 7\n", path="post.md", stem="2021-08-10-x")
    assert str(err.value) == "post.md:1: the front matter opened here is never closed with '---'"


def test_a_list_item_that_is_not_a_word_is_dropped_with_a_warning_at_its_key():
    post = convert("title: [a, b]\ntags:\n  - {a: 1}\n  - ok\n")
    assert log_meta(post.markdown)["tags"] == ["ok"]
    assert log_meta(post.markdown)["title"] == "Day 7"  # the first heading
    assert [str(n) for n in post.notes] == [
        "post.md:2: warning: title: expected text, got list: dropped",
        "post.md:3: warning: tags: {'a': 1} is not a word: dropped",
    ]


def test_an_unclosed_bracket_is_reported_where_it_opens():
    with pytest.raises(FrontMatterError) as err:
        convert("title: T\ntags: [a, b\n")
    assert str(err.value) == (
        "post.md:3: the front matter is not valid YAML: while parsing a flow sequence, "
        "expected ',' or ']', but got '<stream end>'"
    )
