"""The fine-tuned all-MiniLM-L6-v2 that gives the shipped score, run by ONNX Runtime.

`model/minilm.onnx` (exported by `training/checkworthy/finetune_minilm.py`, float32: int8
products would make a sentence's probability depend on its batch) maps wordpiece ids and
their mask to the probability; `model/tokenizer.json` is the model's own tokenizer, read
by the `tokenizers` library. Sentences are read in batches of similar length (less
padding); padding is masked, so a sentence's probability does not depend on its batch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

ONNX_FILE = "minilm.onnx"
TOKENIZER_FILE = "tokenizer.json"
MAX_WORDPIECES = 64  # as trained
BATCH = 32


class Reader:
    def __init__(self, directory: Path):
        self.tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_WORDPIECES)
        options = onnxruntime.SessionOptions()
        # One thread: a worker process per core scales better than threads per product.
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(directory / ONNX_FILE), options, providers=["CPUExecutionProvider"])

    def probabilities(self, texts: list[str]) -> np.ndarray:
        encoded = [e.ids for e in self.tokenizer.encode_batch(texts)]
        order = np.argsort([len(e) for e in encoded], kind="stable")
        out = np.zeros(len(texts), np.float32)
        for s in range(0, len(order), BATCH):
            rows = order[s : s + BATCH]
            ids = np.zeros((len(rows), max(len(encoded[i]) for i in rows)), np.int64)
            mask = np.zeros_like(ids)
            for r, i in enumerate(rows):
                ids[r, : len(encoded[i])] = encoded[i]
                mask[r, : len(encoded[i])] = 1
            out[rows] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out
