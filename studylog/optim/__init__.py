r"""The nine optimizers of Day 7 (최적화 알고리즘), each as a pure numpy step and a ``torch.optim.Optimizer``.

numpy steps (arrays in, a NamedTuple of new arrays out; bound to the notes' formulas):
`sgd_step`, `momentum_step`, `nag_step`, `adagrad_step`, `adadelta_step`,
`rmsprop_step`, `adam_step`, `radam_step`, `adamp_step`.

torch optimizers (torch's hyper-parameter names and defaults; by default they reproduce ``torch.optim``):
`SGD`, `Momentum`, `NAG`, `Adagrad`, `Adadelta`, `RMSprop`,
`Adam`, `RAdam`, `AdamP`. Where the lecture differs from torch, ``convention="lecture"``
(or RAdam's ``variant``) selects the lecture's form.
"""

from studylog.optim.adadelta import Adadelta, AdadeltaStep, adadelta_step
from studylog.optim.adagrad import Adagrad, AdagradStep, adagrad_step, decayed_lr
from studylog.optim.adam import Adam, AdamStep, adam_step
from studylog.optim.adamp import AdamP, AdamPStep, adam_direction, adamp_step, adamp_update, project_radial
from studylog.optim.drivers import NumpyOptimizer
from studylog.optim.momentum import Momentum, MomentumStep, momentum_step
from studylog.optim.nag import NAG, NAGStep, lookahead_point, nag_step
from studylog.optim.radam import RAdam, RAdamStep, Rectification, radam_step, rectification
from studylog.optim.rmsprop import RMSprop, RMSpropStep, rmsprop_step
from studylog.optim.sgd import SGD, SGDStep, sgd_step

__all__ = [
    "NAG",
    "SGD",
    "AdadeltaStep",
    "Adadelta",
    "Adagrad",
    "AdagradStep",
    "Adam",
    "AdamP",
    "AdamPStep",
    "AdamStep",
    "Momentum",
    "MomentumStep",
    "NAGStep",
    "NumpyOptimizer",
    "RAdam",
    "RAdamStep",
    "RMSprop",
    "RMSpropStep",
    "Rectification",
    "SGDStep",
    "adadelta_step",
    "adagrad_step",
    "adam_direction",
    "adam_step",
    "adamp_step",
    "adamp_update",
    "decayed_lr",
    "lookahead_point",
    "momentum_step",
    "nag_step",
    "project_radial",
    "radam_step",
    "rectification",
    "rmsprop_step",
    "sgd_step",
]
