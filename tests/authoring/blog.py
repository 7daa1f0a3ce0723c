r"""A small Jekyll blog written for these tests (no third-party text): every case of issue 14 in two posts.

`make_blog` writes it under a folder and returns its root; the expected values in the tests are
worked out by hand from the text below.
"""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
title: A test blog
url: https://me.github.io  # the old site
baseurl: /blog
permalink: /:categories/:year/:month/:day/:title/
timezone: UTC
excerpt_separator: <!--cut-->
"""

# line numbers matter: the front matter ends on line 9, so the body starts on line 10
FIRST = """\
---
title: First
date: 2021-08-10 01:30:00 +0900
category: Machine Learning
tags:
  - [AI, Naver]
  - 2021
pin: true
---
Intro with \\\\(x_1\\\\) and $y$.
<!--cut-->

\\\\[
\\nabla L = 0
\\\\]

> Theorem.
> $$
> a = b
> $$

After $f(x)${ braces } and a stray $PATH here.

![plot]({{ site.baseurl }}/img/plot.png)
![gone](/assets/images/missing.png)
<img src="images/rel.png">
{% include toc.html %}

## Section

```make
all:
\tcc -o x x.c
```
"""

SECOND = """\
---
title: Second
---
See [first]({% post_url 2021-08-09-first %}), [again](https://me.github.io/blog/machine%20learning/2021/08/09/first/#section)
and [root](/blog/machine%20learning/2021/08/09/first/) and [about](/about/).

Display math $$\\sum_i x_i = 1$$ inside a sentence, and $$x$$ alone:

$$E = mc^2$$
"""


def make_blog(root: Path) -> Path:
    """Write the blog under ``root`` and return ``root``."""
    posts = root / "_posts"
    posts.mkdir(parents=True)
    (root / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (posts / "2021-08-09-first.md").write_text(FIRST, encoding="utf-8")
    (posts / "2021-08-11-second.md").write_text(SECOND, encoding="utf-8")
    (root / "img").mkdir()
    (root / "img" / "plot.png").write_bytes(b"\x89PNG plot")
    (posts / "images").mkdir()
    (posts / "images" / "rel.png").write_bytes(b"\x89PNG rel")
    return root
