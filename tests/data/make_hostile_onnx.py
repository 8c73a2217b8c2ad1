#!/usr/bin/python3
"""Writes the hostile ONNX files of NetLoom's import test (checked in under tests/data/onnx/):
each is a small valid protobuf that lies or asks for too much. Needs python3-onnx (Debian).

    /usr/bin/python3 tests/data/make_hostile_onnx.py tests/data/onnx
"""
import os
import sys

import onnx
from onnx import TensorProto, helper


def model(nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(nodes, "hostile", inputs, outputs, list(initializers))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    return m


def x(shape=("N", 4)):
    return helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape))


def y(shape=("N", 4)):
    return helper.make_tensor_value_info("y", TensorProto.FLOAT, list(shape))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {}
    # A weight that claims 2^40 × 2^40 values and carries none.
    huge = TensorProto()
    huge.name = "W"
    huge.data_type = TensorProto.FLOAT
    huge.dims.extend([1 << 40, 1 << 40])
    files["huge_dims"] = model([helper.make_node("Gemm", ["x", "W"], ["y"], name="fc", transB=1)],
                               [x()], [y()], [huge])
    # An input of 10^15 values per sample.
    files["huge_input"] = model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                                [x(("N", 100000, 100000, 100000))], [y()])
    # Two nodes feeding each other.
    files["cycle"] = model([helper.make_node("Add", ["x", "b"], ["a"], name="first"),
                            helper.make_node("Relu", ["a"], ["b"], name="second"),
                            helper.make_node("Relu", ["a"], ["y"], name="out")], [x()], [y()])
    # Operators NetLoom has no layer for.
    files["unknown_ops"] = model([helper.make_node("Cos", ["x"], ["a"], name="cosine"),
                                  helper.make_node("FancyOp", ["a"], ["y"], name="fancy",
                                                   domain="com.example")], [x()], [y()])
    # A Gemm whose weight initializer is missing.
    files["missing_initializer"] = model(
        [helper.make_node("Gemm", ["x", "W", "B"], ["y"], name="fc", transB=1)], [x()], [y()])
    # An initializer with fewer values than its shape says.
    short = helper.make_tensor("W", TensorProto.FLOAT, [3], [0.5] * 3)
    short.dims[:] = [4, 4]
    files["short_initializer"] = model(
        [helper.make_node("Gemm", ["x", "W"], ["y"], name="fc", transB=1)], [x()], [y()], [short])
    # A sample axis with no fixed size.
    files["symbolic_dims"] = model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                                   [x(("N", "features"))], [y()])
    for name, m in files.items():
        with open(os.path.join(out, name + ".onnx"), "wb") as f:
            f.write(m.SerializeToString())


if __name__ == "__main__":
    main()
