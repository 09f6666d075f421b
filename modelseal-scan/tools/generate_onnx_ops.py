#!/usr/bin/env python3
"""Writes modelseal-scan/src/main/resources/dev/modelseal/scan/rules/onnx-ops.txt: every operator
of the ONNX standard domains as the installed onnx package's operator schemas declare them, one
"domain<TAB>op_type" a line (the default domain is written "ai.onnx"). Names only.

  /work/pyenv/bin/python generate_onnx_ops.py     (needs onnx)
"""
import os

import onnx
from onnx import defs

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "main", "resources", "dev", "modelseal", "scan", "rules",
                   "onnx-ops.txt")


def main():
    ops = set()
    for s in defs.get_all_schemas_with_history():
        ops.add((s.domain or "ai.onnx", s.name))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# onnx %s operator schemas, written by modelseal-scan/tools/generate_onnx_ops.py\n"
                % onnx.__version__)
        for d, n in sorted(ops):
            f.write("%s\t%s\n" % (d, n))
    print("wrote %d operators to %s" % (len(ops), OUT))


if __name__ == "__main__":
    main()
