#!/usr/bin/env python3
"""Reads a text dataset through an exported model.py the way tests/engine/
test_pytorch_export_text.cpp compares it with NetLoom's reader and split:
python3 pytorch_text_check.py EXPORT_DIR OUT.nlw

OUT.nlw receives load_data()'s "train_x", "train_y", "test_x", "test_y" (float32) and, in its
meta, the vocabulary read_text() builds."""
import importlib.util
import os
import sys

import numpy as np


def main():
    export_dir, out_path = sys.argv[1:3]
    spec = importlib.util.spec_from_file_location("exported", os.path.join(export_dir, "model.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    d = m.DATASET
    vocabulary, _, _ = m.read_text(d["path"], d["max_line"], d["max_vocabulary"])
    parts = dict(zip(("train_x", "train_y", "test_x", "test_y"), m.load_data()))
    m.write_tensors(out_path, {k: v.astype(np.float32) for k, v in parts.items()},
                    {"vocabulary": vocabulary})


if __name__ == "__main__":
    main()
