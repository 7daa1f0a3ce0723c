r"""The figures of the Day-7 log (optimization), each drawn from the studylog code it illustrates.

Every figure is split in three: ``*_data()`` runs the experiment (seeded) and returns its arrays,
``draw_*(data)`` turns them into a matplotlib figure, and ``*_figure()`` returns the figure as HTML (an
``<img>`` with alt text, see `figure_html`) for an executed block of the notes:

    ```python exec="on" html="1"
    from studylog.figures.day07 import kfold_figure
    print(kfold_figure())
    ```

The figures live in one module per part of the log (`studylog.figures.optimizers`,
`studylog.figures.generalization`, `studylog.figures.regularization`); this module names the log's figures
in `FIGURES` and keeps every ``*_figure`` importable from here. The tests check the data (not the pixels); the
drawing only reads it.
"""

from __future__ import annotations

from collections.abc import Callable

from studylog.figures.generalization import batch_size_figure, bias_variance_figure, kfold_figure
from studylog.figures.optimizers import optimizer_losses_figure, optimizer_paths_figure
from studylog.figures.regularization import dropout_figure, early_stopping_figure, mixing_figure

__all__ = [
    "FIGURES",
    "batch_size_figure",
    "bias_variance_figure",
    "dropout_figure",
    "early_stopping_figure",
    "kfold_figure",
    "mixing_figure",
    "optimizer_losses_figure",
    "optimizer_paths_figure",
]

FIGURES: dict[str, Callable[[], str]] = {
    "optimizer_paths": optimizer_paths_figure,
    "optimizer_losses": optimizer_losses_figure,
    "bias_variance": bias_variance_figure,
    "kfold": kfold_figure,
    "batch_size": batch_size_figure,
    "early_stopping": early_stopping_figure,
    "mixing": mixing_figure,
    "dropout": dropout_figure,
}
"""Every Day-7 figure function, by name."""
