"""Writes the reader benchmark's models: the tensors of fingerprint_data.py (about SIZE GiB of
random float32/float16 tensors of realistic sizes) with the real writer of each format that
bench-readers.sh measures. A format whose writer is not installed is skipped with a message.

    python3 readers_data.py OUT_DIR SIZE_GIB

  orbax-ocdbt/    orbax.checkpoint.StandardCheckpointer (orbax's default: OCDBT, zstd)
  orbax-zarr3/    PyTreeCheckpointHandler(use_ocdbt=False, use_zarr3=True): a directory per array
  model.msgpack   flax.serialization.to_bytes
  model.joblib    joblib.dump of the dict of arrays (arrays written inline, uncompressed)
  model.h5        h5py create_dataset per tensor (plain HDF5 datasets)
  savedmodel/     tf.saved_model.save of a tf.Module holding the tensors as variables
"""

import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fingerprint_data import make, tensors  # noqa: E402


def main():
    out, size_gib = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261128)
    arrays = {n: make(n, s, d, rng) for n, s, d in tensors(size_gib)}

    def writer(name, fn):
        try:
            fn()
            print("readers_data: wrote", name, file=sys.stderr)
        except ImportError as e:
            print("readers_data: skipped %s (%s)" % (name, e), file=sys.stderr)

    def orbax_ocdbt():
        import orbax.checkpoint as ocp
        p = os.path.join(out, "orbax-ocdbt")
        shutil.rmtree(p, ignore_errors=True)
        ck = ocp.StandardCheckpointer()
        ck.save(p, arrays)
        ck.wait_until_finished()

    def orbax_zarr3():
        import orbax.checkpoint as ocp
        p = os.path.join(out, "orbax-zarr3")
        shutil.rmtree(p, ignore_errors=True)
        ck = ocp.Checkpointer(ocp.PyTreeCheckpointHandler(use_ocdbt=False, use_zarr3=True))
        ck.save(p, args=ocp.args.PyTreeSave(arrays))

    def flax_msgpack():
        from flax import serialization
        with open(os.path.join(out, "model.msgpack"), "wb") as f:
            f.write(serialization.to_bytes(arrays))

    def joblib_dump():
        import joblib
        joblib.dump(arrays, os.path.join(out, "model.joblib"))

    def hdf5():
        import h5py
        with h5py.File(os.path.join(out, "model.h5"), "w") as f:
            for n, a in arrays.items():
                f.create_dataset(n, data=a)

    def savedmodel():
        import tensorflow as tf
        p = os.path.join(out, "savedmodel")
        shutil.rmtree(p, ignore_errors=True)
        m = tf.Module()
        m.vars = [tf.Variable(a, name=n.replace(".", "_")) for n, a in arrays.items()]
        tf.saved_model.save(m, p)

    writer("orbax-ocdbt", orbax_ocdbt)
    writer("orbax-zarr3", orbax_zarr3)
    writer("model.msgpack", flax_msgpack)
    writer("model.joblib", joblib_dump)
    writer("model.h5", hdf5)
    writer("savedmodel", savedmodel)


if __name__ == "__main__":
    main()
