"""Writes the fingerprint benchmark's models: one set of random tensors of realistic sizes as
safetensors, GGUF and a torch.save zip, each about SIZE GiB.

    python3 fingerprint_data.py OUT_DIR SIZE_GIB

Tensors: two float16 embedding matrices (1/8 of SIZE each), then layers of one float32 attention
matrix (1/32 of SIZE), one float16 MLP matrix (1/16 of SIZE) and a small float32 norm vector,
until SIZE is reached. At SIZE = 2: 256 MiB embeddings, 64 MiB and 128 MiB layer matrices.
Run with the project's Python writers (numpy, safetensors, gguf-py, torch); see bench-fingerprint.sh.
"""

import os
import sys

import numpy as np


def tensors(size_gib):
    total = size_gib * 1024**3
    emb_rows = total // 8 // (4096 * 2)
    yield "tok_embeddings.weight", (emb_rows, 4096), np.float16
    yield "output.weight", (emb_rows, 4096), np.float16
    attn = total // 32 // 4  # float32 elements
    mlp = total // 16 // 2  # float16 elements
    layer_bytes = attn * 4 + mlp * 2
    layers = (total - 2 * emb_rows * 4096 * 2) // layer_bytes
    for i in range(layers):
        yield f"layers.{i}.attention.wq.weight", (attn // 4096, 4096), np.float32
        yield f"layers.{i}.feed_forward.w1.weight", (mlp // 4096, 4096), np.float16
        yield f"layers.{i}.attention_norm.weight", (4096,), np.float32


def make(name, shape, dtype, rng):
    a = rng.standard_normal(shape, dtype=np.float32)
    return a if dtype == np.float32 else a.astype(dtype)


def main():
    out, size_gib = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261128)
    arrays = {n: make(n, s, d, rng) for n, s, d in tensors(size_gib)}

    from safetensors.numpy import save_file

    save_file(arrays, os.path.join(out, "model.safetensors"), metadata={"format": "np"})

    import gguf

    w = gguf.GGUFWriter(os.path.join(out, "model.gguf"), "llama")
    w.add_block_count(len(arrays))
    for n, a in arrays.items():
        w.add_tensor(n, a)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    import torch

    sd = {n: torch.from_numpy(a) for n, a in arrays.items()}
    torch.save(sd, os.path.join(out, "model.pt"))


if __name__ == "__main__":
    main()
