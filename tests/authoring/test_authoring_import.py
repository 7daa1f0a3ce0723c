"""``studylog import``: files and folders, one line per post, errors with file and line, --force."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from mkdocs.utils.meta import YAML_RE


def posts_dir(docs: Path) -> Path:
    return docs / "blog" / "posts"


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_a_posts_folder_is_converted_post_by_post(tmp_path, run_cli, fixtures):
    docs = tmp_path / "docs"
    code, out, err = run_cli("import", str(fixtures / "_posts"), "--docs-dir", str(docs))
    posts = posts_dir(docs)
    src = fixtures / "_posts"
    assert code == 0
    assert out.splitlines()[:-1] == [
        f"{src / '2021-08-11-bias-variance.md'}: 4 formulas found, 4 written ({posts / '2021-08-11-bias-variance.md'})",
        f"{src / '2021-08-12-regularization.md'}: 13 formulas found, 13 written "
        f"({posts / '2021-08-12-regularization.md'})",
    ]
    assert out.splitlines()[-1] == (
        "studylog import: 2 posts imported, 0 failed; 17 formulas found, 17 written, 9 marked imported "
        "(shown 'not yet checked' until linked); 0 files copied; categories added to mkdocs.yml: none; "
        "2 warnings (kramdown escape 2)"
    )
    assert err.splitlines() == [  # 'comments' is one of the theme's keys, dropped without a note
        f"{src / '2021-08-12-regularization.md'}:22: warning: '\\{{' inside $...$ is kramdown's escape for '{{': "
        "the log has '{', as the original page showed it",
        f"{src / '2021-08-12-regularization.md'}:22: warning: '\\}}' inside $...$ is kramdown's escape for '}}': "
        "the log has '}', as the original page showed it",
    ]
    assert listing(posts) == ["2021-08-11-bias-variance.md", "2021-08-12-regularization.md"]
    meta = yaml.safe_load(YAML_RE.match((posts / "2021-08-11-bias-variance.md").read_text(encoding="utf-8")).group(1))
    assert meta["categories"] == ["Boostcamp-AI-Tech", "DL"]
    assert meta["tags"] == ["2주차", "bias-variance"]
    assert str(meta["date"]) == "2021-08-11"


def test_the_converted_regularization_post_reads_as_expected(tmp_path, run_cli, fixtures):
    docs = tmp_path / "docs"
    run_cli("import", str(fixtures / "_posts" / "2021-08-12-regularization.md"), "--docs-dir", str(docs))
    text = (posts_dir(docs) / "2021-08-12-regularization.md").read_text(encoding="utf-8")
    for piece in [
        '---\ndate: 2021-08-12\ntitle: "[Boostcamp AI Tech] 9일차 학습정리"\nslug: "regularization"\n'
        'description: "Naver Boostcamp AI Tech Level1 Day9"\n'
        'categories:\n  - "Boostcamp-AI-Tech"\ntags:\n  - "3주차"\n  - "regularization"\n---\n\n# 부스트캠프 9일차\n\n'
        "<!-- more -->\n",
        "* **Parameter norm penalty** : $`\\hat{y}_i = \\sum_{j} w_j x_{ij}`${imported} 에 penalty 추가\n",
        "    * L2 : $`\\Omega(w) = \\frac{1}{2} \\|w\\|_2^2`${imported}\n",
        "    * 집합 표기 : $`\\{x_1, x_2\\}`$ 와 $`{1, 2}`$\n",  # no relation: no mark
        "    * 손실 함수\n        ```math {imported}\n"
        "        L(w) = \\frac{1}{n} \\sum_{i} (y_i - \\hat{y}_i)^2 + \\lambda \\|w\\|_2^2\n"
        "        ```\n",
        "| $`P(A\\vert B)`$ | 조건부 확률 |\n| $`\\vert x\\vert_1`$ | L1 norm |\n",
        "![loss](https://example.com/loss_$1.png)\n[논문 링크](https://arxiv.org/abs/1711.05101)\n",
        "GPU 서버는 시간당 $5 and $10 사이이고, $3 쿠폰이 있다.\n",
        "환경 변수는 `$HOME` 이나 `echo $PATH` 로 확인한다.\n\n",
        '```bash\necho "$x and $y"\n```\n\n```python\ncost = "$5"\n```\n',
    ]:
        assert piece in text
    for gone in ["{:toc}", "* TOC", "{:", "layout", "use_math", "\\_", "\\$"]:
        assert gone not in text


def test_posts_that_cannot_be_converted_are_reported_and_the_others_still_convert(tmp_path, run_cli, fixtures):
    docs = tmp_path / "docs"
    broken = fixtures / "broken"
    good = fixtures / "_posts" / "2021-08-11-bias-variance.md"
    code, out, err = run_cli("import", str(broken), str(good), "--docs-dir", str(docs))
    assert code == 1
    assert out.splitlines()[:2] == [
        f"{broken / '2021-08-13-unbalanced.md'}: 2 formulas found, 2 written "
        f"({posts_dir(docs) / '2021-08-13-unbalanced.md'})",
        f"{good}: 4 formulas found, 4 written ({posts_dir(docs) / '2021-08-11-bias-variance.md'})",
    ]
    assert out.splitlines()[2].startswith("studylog import: 2 posts imported, 1 failed; 6 formulas found, 6 written")
    assert err.splitlines() == [
        f"{broken / '2021-08-14-bad-yaml.md'}:2: the front matter is not valid YAML: "
        "while scanning a quoted scalar, found unexpected end of stream",
        # a stray dollar does not cost the post: it is kept as text, with a warning at its line
        f"{broken / '2021-08-13-unbalanced.md'}:8: warning: '$' before '\\hat{{v}}_t =' opens no formula "
        "(no closing '$' in its paragraph): kept as text",
        # Jekyll reads only dated files in a posts folder: an undated one is skipped, not failed
        f"{broken / 'no-date.md'}: warning: no YYYY-MM-DD- in the file name: not a post to Jekyll (a template or a "
        "draft), skipped",
    ]
    assert listing(posts_dir(docs)) == ["2021-08-11-bias-variance.md", "2021-08-13-unbalanced.md"]
    code, _, err = run_cli("import", str(broken / "no-date.md"), "--docs-dir", str(docs))  # named: it is tried
    assert code == 1 and "no date: the front matter has no 'date'" in err


def test_existing_logs_are_not_overwritten_unless_forced(tmp_path, run_cli, fixtures):
    docs = tmp_path / "docs"
    post = fixtures / "_posts" / "2021-08-11-bias-variance.md"
    log = posts_dir(docs) / "2021-08-11-bias-variance.md"
    log.parent.mkdir(parents=True)
    log.write_text("my edits\n", encoding="utf-8")
    code, out, err = run_cli("import", str(post), "--docs-dir", str(docs))
    assert (code, out.splitlines()[0][:45]) == (1, "studylog import: 0 posts imported, 1 failed; ")
    assert err == f"{log}:1: a log already exists here (use --force to overwrite it)\n"
    assert log.read_text(encoding="utf-8") == "my edits\n"
    code, out, err = run_cli("import", str(post), "--docs-dir", str(docs), "--force")
    assert (code, err) == (0, "")
    assert log.read_text(encoding="utf-8").startswith("---\ndate: 2021-08-11\n")


def test_two_posts_for_the_same_log_are_an_error_for_the_second(tmp_path, run_cli, fixtures):
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    post = fixtures / "_posts" / "2021-08-11-bias-variance.md"
    shutil.copy(post, src / "a" / post.name)
    shutil.copy(post, src / "b" / post.name)
    code, out, err = run_cli("import", str(src), "--docs-dir", str(tmp_path / "docs"), "--force")
    log = posts_dir(tmp_path / "docs") / post.name
    assert code == 1
    assert out.splitlines()[0] == f"{src / 'a' / post.name}: 4 formulas found, 4 written ({log})"
    assert err == f"{src / 'b' / post.name}:1: {src / 'a' / post.name} is imported into the same log {log}\n"


def test_missing_paths_and_empty_folders_are_reported(tmp_path, run_cli):
    (tmp_path / "empty").mkdir()
    code, out, err = run_cli(
        "import", str(tmp_path / "nope.md"), str(tmp_path / "empty"), "--docs-dir", str(tmp_path / "docs")
    )
    assert (code, out.splitlines()[0][:45]) == (1, "studylog import: 0 posts imported, 2 failed; ")
    assert err.splitlines() == [
        f"{tmp_path / 'nope.md'}: no such file or folder",
        f"{tmp_path / 'empty'}: no posts (*.md, *.markdown) in this folder",
    ]


def test_a_post_that_is_not_utf8_is_reported_with_the_line_of_the_first_bad_byte(tmp_path, run_cli):
    post = tmp_path / "2021-08-10-x.md"
    post.write_bytes("---\ntitle: T\n---\n한글\n".encode() + b"\xff\xfe\n")
    code, _, err = run_cli("import", str(post), "--docs-dir", str(tmp_path / "docs"))
    assert code == 1
    assert err == f"{post}:5: not UTF-8 text (invalid start byte)\n"


def test_import_needs_at_least_one_path(run_cli):
    code, _, err = run_cli("import")
    assert code == 2
    assert "the following arguments are required: PATH" in err


def test_windows_line_ends_and_a_bom_are_read(tmp_path, run_cli):
    post = tmp_path / "2021-08-10-crlf.md"
    post.write_bytes("\ufeff---\r\ntitle: T\r\n---\r\n* $a\\_1$\r\n".encode())
    code, out, _ = run_cli("import", str(post), "--docs-dir", str(tmp_path / "docs"))
    assert out.splitlines()[0].endswith(f"1 formulas found, 1 written ({posts_dir(tmp_path / 'docs') / post.name})")
    assert code == 0
    text = (posts_dir(tmp_path / "docs") / "2021-08-10-crlf.md").read_bytes().decode()
    assert text == '---\ndate: 2021-08-10\ntitle: "T"\nslug: "crlf"\ncategories: []\ntags: []\n---\n\n* $`a_1`$\n\n<!-- more -->\n'


def test_category_replaces_the_posts_own_categories(tmp_path, run_cli, fixtures):
    docs = tmp_path / "docs"
    post = fixtures / "_posts" / "2021-08-11-bias-variance.md"
    code, _, _ = run_cli("import", str(post), "--docs-dir", str(docs), "--category", "Boostcamp AI Tech")
    assert code == 0
    text = (posts_dir(docs) / post.name).read_text(encoding="utf-8")
    assert yaml.safe_load(YAML_RE.match(text).group(1))["categories"] == ["Boostcamp AI Tech"]
