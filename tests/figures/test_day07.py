"""The Day-7 figures: well-formed deterministic HTML/SVG, and the plotted data checked against independent oracles.

The optimizer paths are checked step by step against each method's reference (``torch.optim``, or the ``adamp``
package), the losses against closed forms, the k-fold grid against scikit-learn's ``KFold``.
"""

from __future__ import annotations

import base64
import functools
import html
import re
import xml.etree.ElementTree as ET

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from sklearn.model_selection import KFold

from studylog.figures import day07, generalization, optimizers, regularization
from studylog.optim.registry import METHODS, Method
from tests.conftest import ROOT

IMG = re.compile(r'<img alt="(?P<alt>[^"]*)" src="data:image/svg\+xml;base64,(?P<data>[A-Za-z0-9+/=]+)">')


@functools.cache
def first_html(name: str) -> str:
    return day07.FIGURES[name]()


def svg_of(page: str) -> str:
    match = IMG.search(page)
    assert match, page[:200]
    return base64.b64decode(match.group("data")).decode("utf-8")


# ---------------------------------------------------------------------------------------------------------------
# every figure: HTML, alt text, determinism, SVG
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(day07.FIGURES))
def test_figure_is_an_img_with_alt_and_svg_data_uri(name):
    page = first_html(name)
    assert page.startswith('<figure class="sl-figure"><img ') and page.endswith("</figure>")
    match = IMG.search(page)
    assert match
    alt = html.unescape(match.group("alt"))
    assert len(alt.split()) >= 12, alt  # a sentence or two, not a label
    assert "nan" not in alt.lower().split()


@pytest.mark.parametrize("name", list(day07.FIGURES))
def test_figure_is_byte_identical_when_called_again(name):
    assert day07.FIGURES[name]() == first_html(name)


@pytest.mark.parametrize("name", list(day07.FIGURES))
def test_svg_parses_and_carries_no_date(name):
    svg = svg_of(first_html(name))
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "dc:date" not in svg
    assert re.search(r"(19|20)\d\d-[01]\d-[0-3]\d", svg) is None
    assert re.search(r"\d\d:\d\d:\d\d", svg) is None


@pytest.mark.parametrize("name", list(day07.FIGURES))
def test_svg_has_a_white_background_and_no_pure_black(name):
    svg = svg_of(first_html(name)).lower()
    assert "fill: #ffffff" in svg  # the figure patch: the site's dark mode inverts a white background
    assert re.search(r"(fill|stroke): ?#000000\b", svg) is None


def test_figures_close_their_matplotlib_figures():
    plt.close("all")
    day07.kfold_figure()
    assert plt.get_fignums() == []


def test_day07_keeps_the_names_the_log_imports():
    log = (ROOT / "docs/blog/posts/2021-08-10-day07-optimization.md").read_text(encoding="utf-8")
    imported = set(re.findall(r"^from studylog\.figures\.day07 import (\w+)$", log, flags=re.MULTILINE))
    assert len(imported) == 8
    assert imported <= set(dir(day07))
    assert {f.__name__ for f in day07.FIGURES.values()} == imported


# ---------------------------------------------------------------------------------------------------------------
# the data behind each figure
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs():
    return optimizers.optimizer_paths_data()


def _hessian(quad) -> np.ndarray:
    return np.stack([quad.grad(e) - quad.grad(np.zeros(2)) for e in np.eye(2)])


def test_quadratic_is_ill_conditioned_and_minimized_at_w_star():
    quad, w_star = optimizers.quadratic_2d()
    np.testing.assert_allclose(np.linalg.eigvalsh(_hessian(quad)), [0.1, 10.0], rtol=1e-12)
    np.testing.assert_allclose(quad.grad(w_star), 0.0, atol=1e-12)


def test_every_registry_method_is_drawn_with_its_label_and_learning_rates(runs):
    assert optimizers.METHODS == tuple(m.name for m in METHODS)
    for i, run in enumerate(runs):
        assert set(run.paths) == set(run.losses) == {m.name for m in METHODS}
        assert run.lrs == {m.name: m.figure_lrs[i] for m in METHODS}
    caption = html.unescape(first_html("optimizer_paths"))
    for m in METHODS:
        assert f"{m.label} {m.figure_lrs[0]:g} / {m.figure_lrs[1]:g}" in caption
        assert optimizers.method_style(m.name) in optimizers.METHOD_STYLES.values()


def _suboptimality(run, W: np.ndarray) -> np.ndarray:
    """f(W) - f* in closed form: (W - W*)^T H (W - W*) / 2 on the quadratic, Rosenbrock's formula (f* = 0)."""
    if run.name == "quad":
        D = W - run.w_star
        return 0.5 * np.einsum("ti,ij,tj->t", D, _hessian(run.problem), D)
    x, y = W[:, 0], W[:, 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def test_optimizer_paths_start_together_and_losses_are_the_suboptimality(runs):
    np.testing.assert_array_equal(runs[1].w_star, [1.0, 1.0])
    for run, steps in zip(runs, optimizers.STEPS, strict=True):
        for m, path in run.paths.items():
            assert path.shape == (steps + 1, 2)
            assert np.all(np.isfinite(path))
            np.testing.assert_array_equal(path[0], run.problem.w0)
            expected = _suboptimality(run, path)
            np.testing.assert_allclose(run.losses[m], expected, rtol=1e-9, atol=1e-12)
            assert run.losses[m][-1] < run.losses[m][0], m  # every method makes progress


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_every_plotted_step_is_a_step_of_the_reference_optimizer(runs, method: Method):
    # each segment of a path, from W_t, is one step of torch.optim (or the adamp package) from W_t; the parameter
    # is reset to the plotted W_t before every step, so a difference cannot compound (PyTorch's TensorTracker)
    for run in runs:
        path = run.paths[method.name]
        w = torch.tensor(path[0], dtype=torch.float64, requires_grad=True)
        ref = method.reference.build([w], lr=run.lrs[method.name])
        for t in range(path.shape[0] - 1):
            with torch.no_grad():
                w.copy_(torch.from_numpy(path[t]))
            w.grad = torch.from_numpy(run.problem.grad(path[t].copy()))
            ref.step()
            np.testing.assert_allclose(path[t + 1], w.detach().numpy(), rtol=1e-12, atol=1e-12,
                                       err_msg=f"{method.name} on {run.name}, step {t + 1}")  # fmt: skip


def test_adamp_retraces_adam_here(runs):
    # no weight here is scale-invariant, so AdamP never projects (the figure draws it dotted over Adam)
    for run in runs:
        assert run.lrs["adamp"] == run.lrs["adam"]
        np.testing.assert_allclose(run.paths["adamp"], run.paths["adam"], rtol=0, atol=1e-12)


def test_bias_variance_terms_add_up_to_the_simulated_error():
    c = generalization.bias_variance_data()
    np.testing.assert_array_equal(c.degrees, np.arange(13))
    np.testing.assert_allclose(c.noise, 0.3**2)
    np.testing.assert_allclose(c.bias2 + c.variance + c.noise, c.expected_error, rtol=0.05)
    assert int(np.argmin(c.bias2 + c.variance + c.noise)) == 3
    assert c.variance[-1] > 10 * c.variance[0]
    assert c.bias2[0] > 100 * c.bias2[5]


def test_kfold_grid_validates_each_sample_exactly_once():
    n, k = generalization.KFOLD_N, generalization.KFOLD_K
    grid = generalization.kfold_data()
    sklearn_folds = [validation for _, validation in KFold(n_splits=k).split(np.arange(n))]
    expected = np.zeros((k, n), dtype=bool)
    for i, validation in enumerate(sklearn_folds):
        expected[i, validation] = True
    np.testing.assert_array_equal(grid.consecutive, expected)  # scikit-learn's consecutive folds, cell by cell
    for cells in grid:
        assert cells.shape == (k, n)
        np.testing.assert_array_equal(cells.sum(axis=0), 1)
        np.testing.assert_array_equal(cells.sum(axis=1), [len(v) for v in sklearn_folds])
    # consecutive folds are blocks, in order; the shuffled ones are not
    first = grid.consecutive.argmax(axis=1)
    assert np.all(np.diff(first) > 0)
    for row in grid.consecutive:
        idx = np.flatnonzero(row)
        np.testing.assert_array_equal(idx, np.arange(idx[0], idx[-1] + 1))
    assert not np.array_equal(grid.consecutive, grid.shuffled)


def test_batch_size_slice_passes_through_both_solutions():
    r = generalization.batch_size_data()
    np.testing.assert_array_equal(r.batch_sizes, generalization.BATCH_SIZES)
    at = {a: i for i, a in enumerate(np.round(r.line_alpha, 12))}
    np.testing.assert_allclose(r.line_train_loss[at[0.0]], r.train_loss[0], rtol=1e-12)
    np.testing.assert_allclose(r.line_train_loss[at[1.0]], r.train_loss[-1], rtol=1e-12)
    np.testing.assert_allclose(r.line_test_loss[at[0.0]], r.test_loss[0], rtol=1e-12)
    np.testing.assert_allclose(r.gap, r.test_loss - r.train_loss)
    assert np.all(r.sharpness > 0)
    # the ridge between the two solutions is higher than both ends
    assert r.line_train_loss[at[0.0] : at[1.0]].max() > r.train_loss.max()


def test_early_stopping_marks_the_best_epoch_and_stops_patience_epochs_later():
    c = regularization.early_stopping_data()
    assert c.best_epoch == int(np.argmin(c.val_loss[: c.stop_epoch + 1]))
    assert c.stop_epoch - c.best_epoch == c.patience
    assert np.all(c.val_loss[c.best_epoch + 1 : c.stop_epoch + 1] >= c.val_loss[c.best_epoch])
    assert c.val_loss[-1] > 1.5 * c.val_loss[c.best_epoch]  # it overfits afterwards: the rule was worth it
    assert c.train_loss[-1] < c.train_loss[c.stop_epoch] < c.train_loss[0]


def test_mixing_images_and_labels():
    d = regularization.mixing_data()
    disk, cross, smoothed, mixed, cut = d.images
    for image in (disk, cross):
        assert set(np.unique(image)) == {0.0, 1.0}
    np.testing.assert_array_equal(smoothed, disk)
    np.testing.assert_allclose(d.labels.sum(axis=1), 1.0)
    a = regularization.SMOOTHING
    np.testing.assert_allclose(d.labels[2], [1 - a + a / 2, a / 2])
    # mixup: one lambda for pixels and labels
    lam = d.mixup_lam
    np.testing.assert_allclose(mixed, lam * disk + (1 - lam) * cross)
    np.testing.assert_allclose(d.labels[3], [lam, 1 - lam])
    # CutMix: the box comes from the cross, the rest from the disk, and lambda is the disk's share of pixels
    b = d.cutmix_box
    inside = np.zeros_like(disk, dtype=bool)
    inside[b.top : b.bottom, b.left : b.right] = True
    np.testing.assert_array_equal(cut[inside], cross[inside])
    np.testing.assert_array_equal(cut[~inside], disk[~inside])
    np.testing.assert_allclose(d.cutmix_lam, 1 - inside.mean())
    np.testing.assert_allclose(d.labels[4], [d.cutmix_lam, 1 - d.cutmix_lam])
    assert 0 < inside.sum() < inside.size


def test_dropout_masks_and_preserved_expectation():
    d = regularization.dropout_data()
    assert d.masks.shape == (regularization.N_MASKS, regularization.N_UNITS)
    assert set(np.unique(d.masks)) == {0.0, 1.0}
    assert np.all(d.sem > 0)
    assert np.all(np.abs(d.mean - d.h) < 5 * d.sem)
    np.testing.assert_allclose(d.mean, d.h, rtol=0.05)
