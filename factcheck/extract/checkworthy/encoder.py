"""The second stage's fine-tuned MiniLM layers, run by ONNX Runtime with int8 products.

`minilm.py` holds the same network as a numpy forward pass (the reference, and the
build-time word vectors). At run time the layers go through ONNX Runtime with dynamic
int8 quantisation: on this machine's AVX-512 VNNI cores it reads the extraction
benchmark's sentences at about 870 a second on one core against numpy's 405, which is
what lets the second stage rescore the first stage's unsure band inside the extraction
budget. The file, `model/encoder.onnx`, holds the graph, int8 weights and, in its
metadata, the WordPiece vocabulary and the maximum length, so nothing else is needed to
score.

`export_encoder` writes that file from float weights (the teacher's or `minilm.py`'s key
names); it needs the `onnx` package, a build-time dependency only.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .minilm import HEADS, WordPiece

_VOCAB_KEY, _MAX_LEN_KEY = "factcheck.vocab", "factcheck.max_len"


class Encoder:
    """`classify(texts)`: the fine-tuned head's probability for each text."""

    def __init__(self, path: str | Path):
        import onnxruntime as ort

        options = ort.SessionOptions()
        # One thread: the products are small (one sentence of ~15-25 wordpieces), and a
        # thread pool costs more CPU than it saves, as OpenBLAS's did (see linalg.py).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # errors only: its warnings would go to stderr
        self.session = ort.InferenceSession(str(path), options,
                                            providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        self.tok = WordPiece({t: i for i, t in enumerate(meta[_VOCAB_KEY].split("\n"))})
        self.max_len = int(meta[_MAX_LEN_KEY])

    def classify(self, texts: Sequence[str]) -> np.ndarray:
        """One run a sentence: the int8 activations take one scale per run, so in a batch a
        sentence's probability would move with its neighbours (by up to 0.02); alone it is
        the same wherever it appears, and only 5% slower than in batches of three."""
        out = np.zeros(len(texts), np.float32)
        for i, text in enumerate(texts):
            ids = np.array([self.tok.encode(text, self.max_len)], np.int64)
            out[i] = self.session.run(None, {"input_ids": ids})[0][0, 0]
        return out


def export_encoder(path: str | Path, weights: dict[str, np.ndarray], vocab: dict[str, int],
                   max_len: int) -> None:
    """Write the ONNX file `Encoder` reads: BERT layers, mean pooling, the linear head.

    `weights` use the names of `minilm.MiniLM` (no model prefix) plus `head.weight` and
    `head.bias`. The graph takes one sentence a run (`input_ids` of shape 1 x length, no
    padding, so no attention mask). Self-attention is ONNX Runtime's fused `Attention`
    operator (query, key and value in one product). ONNX Runtime's `quantize_dynamic` then
    makes every matrix product int8 (weights per output channel, activations per run;
    `Attention` becomes `QAttention`); the word table is stored int8 with one scale per
    row and only the rows a sentence uses are scaled back.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    w = {k: np.asarray(v, np.float32) for k, v in weights.items()}
    nodes, initializers = [], []
    counter = itertools.count()

    def const(array) -> str:
        name = f"c{next(counter)}"
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(kind, inputs, name=None, domain=None, **attrs) -> str:
        out = name or f"{kind}{next(counter)}"
        nodes.append(helper.make_node(kind, inputs, [out], name=out, domain=domain, **attrs))
        return out

    def linear(x, name):
        # Named after the layer, so a product can be kept out of quantisation by name.
        product = op("MatMul", [x, const(w[name + ".weight"].T)], name=name)
        return op("Add", [product, const(w[name + ".bias"])])

    def layer_norm(x, name):
        return op("LayerNormalization", [x, const(w[name + ".weight"]), const(w[name + ".bias"])],
                  axis=-1, epsilon=1e-12)

    table = w["embeddings.word_embeddings.weight"]
    scale = np.abs(table).max(1, keepdims=True) / 127
    scale[scale == 0] = 1
    words = op("Mul", [op("Cast", [op("Gather", [const(np.round(table / scale).astype(np.int8)),
                                                  "input_ids"])], to=TensorProto.FLOAT),
                       op("Gather", [const(scale.astype(np.float32)), "input_ids"])])
    length = op("Shape", ["input_ids"], start=1, end=2)
    positions = op("Slice", [const(w["embeddings.position_embeddings.weight"][:max_len]),
                             const(np.array([0], np.int64)), length,
                             const(np.array([0], np.int64))])
    h = op("Add", [op("Add", [words, positions]),
                   const(w["embeddings.token_type_embeddings.weight"][0])])
    h = layer_norm(h, "embeddings.LayerNorm")
    n_layers = 1 + max(int(k.split(".")[2]) for k in w if k.startswith("encoder.layer."))
    for layer in range(n_layers):
        p = f"encoder.layer.{layer}."
        parts = ("query", "key", "value")
        qkv = np.concatenate([w[f"{p}attention.self.{n}.weight"].T for n in parts], axis=1)
        qkv_bias = np.concatenate([w[f"{p}attention.self.{n}.bias"] for n in parts])
        attended = op("Attention", [h, const(qkv), const(qkv_bias)], name=p + "attention",
                      domain="com.microsoft", num_heads=HEADS)
        h = layer_norm(op("Add", [linear(attended, p + "attention.output.dense"), h]),
                       p + "attention.output.LayerNorm")
        # Exact (erf) GELU, as the teacher was trained with, as one fused operator.
        inner = op("Gelu", [linear(h, p + "intermediate.dense")], domain="com.microsoft")
        h = layer_norm(op("Add", [linear(inner, p + "output.dense"), h]),
                       p + "output.LayerNorm")
    pooled = op("ReduceMean", [h], axes=[1], keepdims=0)
    logit = op("Add", [op("MatMul", [pooled, const(w["head.weight"].T)]), const(w["head.bias"])])
    nodes.append(helper.make_node("Sigmoid", [logit], ["probability"], name="probability"))

    graph = helper.make_graph(
        nodes, "checkworthy_minilm",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, "length"])],
        [helper.make_tensor_value_info("probability", TensorProto.FLOAT, [1, 1])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8  # what ONNX Runtime releases of the last years all read
    helper.set_model_props(model, {
        _VOCAB_KEY: "\n".join(sorted(vocab, key=vocab.get)),
        _MAX_LEN_KEY: str(max_len),
    })
    onnx.checker.check_model(model)
    with tempfile.TemporaryDirectory() as tmp:
        float_path = os.path.join(tmp, "float.onnx")
        onnx.save(model, float_path)
        # Shape inference cannot see through the com.microsoft operator: name the type.
        quantize_dynamic(float_path, str(path), weight_type=QuantType.QInt8, per_channel=True,
                         extra_options={"DefaultTensorType": TensorProto.FLOAT})
