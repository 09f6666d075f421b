"""Computes pin vectors from the encoding in docs/pins.md, independently of the Java code.

Run: /work/pyenv/bin/python pin_vectors.py > pin_vectors.json
Each vector is a serialization and a resource list (name, size, hex digest) with the pin the
text of docs/pins.md gives for it; PinDigestTest builds the same manifest in Java and compares.
"""
import hashlib
import json
import struct


def u64(x):
    return struct.pack(">Q", x)


def bstr(b):
    return struct.pack(">I", len(b)) + b


def text(s):
    return bstr(s.encode("utf-8"))


def pin(method, hash_type, shard_size, ignore_paths, resources):
    e = b"modelseal-pin-v1\x00"
    e += text(method) + text(hash_type)
    e += u64(shard_size if method == "shards" else 0)
    ignore = sorted(set(ignore_paths), key=lambda s: [ord(c) for c in s])
    e += u64(len(ignore)) + b"".join(text(p) for p in ignore)
    res = sorted(resources, key=lambda r: [ord(c) for c in r[0]])
    e += u64(len(res))
    for name, size, digest_hex in res:
        e += text(name) + u64(size) + bstr(bytes.fromhex(digest_hex))
    return "pin:v1:sha256:" + hashlib.sha256(e).hexdigest()


GIT = [".git", ".gitattributes", ".github", ".gitignore"]


def sha(data):
    return hashlib.sha256(data).hexdigest()


def blake(data):
    return hashlib.blake2b(data, digest_size=64).hexdigest()


def vector(name, method, hash_type, shard_size, ignore_paths, files):
    """files: (resource name, content bytes) -> resources with size and digest."""
    h = sha if hash_type == "sha256" else blake
    resources = [(n, len(c), h(c)) for n, c in files]
    return {
        "name": name,
        "method": method,
        "hash_type": hash_type,
        "shard_size": shard_size,
        "ignore_paths": ignore_paths,
        "resources": [{"name": n, "size": s, "digest": d} for n, s, d in resources],
        "pin": pin(method, hash_type, shard_size, ignore_paths, resources),
    }


vectors = [
    vector("approved", "files", "sha256", 0, GIT,
           [("model.onnx", b"approved model"), ("model_old.onnx", b"old model")]),
    vector("renamed", "files", "sha256", 0, GIT,
           [("model-a.onnx", b"approved model"), ("model.onnx", b"old model")]),
    vector("unicode-and-ignore", "files", "sha256", 0, ["notes", "model.sig"] + GIT,
           [("z\U0001F600.bin", b"emoji"), ("z\u00e9/a.bin", b"accent"), ("z\uFB01.bin", b"ligature"),
            ("empty", b"")]),
    vector("blake2b", "files", "blake2b", 0, GIT, [("w.bin", b"weights")]),
    vector("shards", "shards", "sha256", 4, GIT,
           [("w.bin:0:4", b"abcd"), ("w.bin:4:6", b"ef")]),
]
print(json.dumps(vectors, indent=1, ensure_ascii=False))
