"""Generalization, resampling and batch size: the learning-theory part of the Day-7 log.

One small module per idea: risk and generalization gap, k-fold cross-validation, the bias–variance
decomposition, bootstrap/bagging/AdaBoost, mini-batch gradient descent and Keskar's sharpness.
"""

from studylog.learning.adaboost import (
    AdaBoostModel,
    Reweighted,
    decision_function,
    first_rounds,
    fit_adaboost,
    learner_weight,
    predict_adaboost,
    reweight,
    strong_classifier,
    weighted_error,
)
from studylog.learning.bagging import BaggedModel, bagging_mean, fit_bagging, majority_vote, predict_mean, predict_vote
from studylog.learning.batch_size import BatchSizeResult, batch_size_experiment
from studylog.learning.bias_variance import (
    BiasVarianceCurve,
    BiasVarianceSamples,
    BiasVarianceTerms,
    bias_variance_curve,
    bias_variance_terms,
    simulate_bias_variance,
    smoother_matrix,
)
from studylog.learning.bootstrap import (
    UniqueFractionSamples,
    bootstrap_indices,
    expected_unique_fraction,
    out_of_bag,
    simulate_unique_fraction,
)
from studylog.learning.cross_validation import CVCurve, CVResult, cross_validate, cv_by_degree, cv_estimate
from studylog.learning.data import Dataset, add_noise, make_sine_data, true_function
from studylog.learning.generalization import GapCurve, GapResult, gap_by_degree, generalization_gap, polynomial_gap
from studylog.learning.kfold import Fold, fold_sizes, kfold_splits
from studylog.learning.minibatch import SGDRun, minibatch_step, minibatches, train_sgd
from studylog.learning.mlp import init_mlp, mlp_grad, mlp_loss, mlp_per_sample_grads, mlp_predict, n_params
from studylog.learning.neighbors import NearestNeighbor, fit_nearest_neighbor
from studylog.learning.polynomial import Fitter, Polynomial, Predictor, fit_polynomial, polynomial_fitter, vandermonde
from studylog.learning.risk import mean_squared_error
from studylog.learning.sharpness import (
    BoxMaximum,
    Sharpness,
    box_radius,
    keskar_sharpness,
    maximize_in_box,
    relative_sharpness,
)
from studylog.learning.stump import Stump, fit_stump, stump_error

__all__ = [
    "AdaBoostModel",
    "BaggedModel",
    "BatchSizeResult",
    "BiasVarianceCurve",
    "BiasVarianceSamples",
    "BiasVarianceTerms",
    "BoxMaximum",
    "CVCurve",
    "CVResult",
    "Dataset",
    "Fitter",
    "Fold",
    "GapCurve",
    "GapResult",
    "NearestNeighbor",
    "Polynomial",
    "Predictor",
    "Reweighted",
    "SGDRun",
    "Sharpness",
    "Stump",
    "UniqueFractionSamples",
    "add_noise",
    "bagging_mean",
    "batch_size_experiment",
    "bias_variance_curve",
    "bias_variance_terms",
    "bootstrap_indices",
    "box_radius",
    "cross_validate",
    "cv_by_degree",
    "cv_estimate",
    "decision_function",
    "expected_unique_fraction",
    "first_rounds",
    "fit_adaboost",
    "fit_bagging",
    "fit_nearest_neighbor",
    "fit_polynomial",
    "fit_stump",
    "fold_sizes",
    "gap_by_degree",
    "generalization_gap",
    "init_mlp",
    "keskar_sharpness",
    "kfold_splits",
    "learner_weight",
    "majority_vote",
    "make_sine_data",
    "maximize_in_box",
    "mean_squared_error",
    "minibatch_step",
    "minibatches",
    "mlp_grad",
    "mlp_loss",
    "mlp_per_sample_grads",
    "mlp_predict",
    "n_params",
    "out_of_bag",
    "polynomial_fitter",
    "polynomial_gap",
    "predict_adaboost",
    "predict_mean",
    "predict_vote",
    "relative_sharpness",
    "reweight",
    "simulate_bias_variance",
    "simulate_unique_fraction",
    "smoother_matrix",
    "stump_error",
    "strong_classifier",
    "train_sgd",
    "true_function",
    "vandermonde",
    "weighted_error",
]
