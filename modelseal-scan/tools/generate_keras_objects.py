#!/usr/bin/env python3
"""Writes modelseal-scan/src/main/resources/dev/modelseal/scan/rules/keras-objects.txt: the class
names of Keras's own serializable objects (layers, models, initializers, regularizers, constraints,
activations, losses, metrics, optimizers, learning-rate schedules, dtype policies), as the
installed Keras exports them from its public API modules, plus the Keras 2 (tf.keras) layer
classes Keras 3 dropped, which Keras 2 HDF5 files still name. Names only; nothing else is kept.

  /work/pyenv/bin/python generate_keras_objects.py     (needs keras; no model is built)
"""
import inspect
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "main", "resources", "dev", "modelseal", "scan", "rules",
                   "keras-objects.txt")

MODULES = ["layers", "models", "initializers", "regularizers", "constraints", "activations",
           "losses", "metrics", "optimizers", "optimizers.schedules", "dtype_policies",
           "mixed_precision", "random", "saving"]

# tf.keras (Keras 2) classes that Keras 3 no longer exports but Keras 2 .h5 files name: the
# Keras 2 API reference (keras.io/2.15/api) lists them; TFOpLambda and SlicingOpLambda are rated
# by their own rule.
KERAS2_ONLY = ["CuDNNLSTM", "CuDNNGRU", "DenseFeatures", "LocallyConnected1D",
               "LocallyConnected2D", "ThresholdedReLU", "Policy", "AbstractRNNCell",
               "DeviceWrapper", "DropoutWrapper", "ResidualWrapper", "PeepholeLSTMCell",
               "SequenceFeatures", "Convolution1D", "Convolution2D", "Convolution3D",
               "Convolution2DTranspose", "Convolution3DTranspose", "Deconvolution2D",
               "Deconvolution3D", "AtrousConvolution1D", "AtrousConvolution2D", "Merge",
               "InputSpec", "LinearModel", "WideDeepModel", "Orthogonal", "Identity",
               "TruncatedNormal", "RandomNormal", "RandomUniform", "LossScaleOptimizer",
               "L1L2", "L1", "L2", "OrthogonalRegularizer"]


def names():
    out = set(KERAS2_ONLY)
    from keras.src.models.functional import Functional  # what Model configs are saved as
    out.add(Functional.__name__)
    for m in MODULES:
        mod = keras
        for part in m.split("."):
            mod = getattr(mod, part)
        for name, value in vars(mod).items():
            if not name.startswith("_") and (inspect.isclass(value) or inspect.isfunction(value)):
                out.add(name)
                out.add(value.__name__)
    return sorted(n for n in out if n.isidentifier())


def main():
    ns = names()
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# Keras %s serializable objects, written by modelseal-scan/tools/"
                "generate_keras_objects.py\n" % keras.__version__)
        for n in ns:
            f.write(n + "\n")
    print("wrote %d names to %s" % (len(ns), OUT))


if __name__ == "__main__":
    main()
