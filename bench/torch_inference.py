"""PyTorch eager side of kft's inference benchmark.

usage: torch_inference.py MODEL_DIR BATCHES_JSON WARMUP ROUNDS
BATCHES_JSON holds the padded batches kft ran ({"input_ids": [[...]], "attention_mask": [[...]]}
per batch); prints the fastest round's sentences per second of forward + softmax, no gradients.
The model is the reference BertForSequenceClassification of kft's parity tests; threads follow
OMP_NUM_THREADS.
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test-support",
                                "src", "main", "resources", "python"))
from bert_reference import BertForSequenceClassification, read_safetensors  # noqa: E402


def main():
    directory, batches_file = sys.argv[1], sys.argv[2]
    warmup, rounds = int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    config = json.load(open(os.path.join(directory, "config.json")))
    model = BertForSequenceClassification(config)
    model.load_state_dict(read_safetensors(os.path.join(directory, "model.safetensors")), strict=True)
    model.eval()
    batches = [(torch.tensor(b["input_ids"]), torch.tensor(b["attention_mask"]))
               for b in json.load(open(batches_file))]
    rows = sum(ids.shape[0] for ids, _ in batches)
    best = None
    with torch.no_grad():
        for ids, mask in batches[:warmup]:
            model(ids, mask, torch.zeros_like(ids))
        for _ in range(rounds):
            t0 = time.perf_counter()
            for ids, mask in batches:
                logits, _ = model(ids, mask, torch.zeros_like(ids))
                torch.softmax(logits, dim=-1).tolist()
            elapsed = time.perf_counter() - t0
            best = elapsed if best is None or elapsed < best else best
    print(rows / best)


if __name__ == "__main__":
    main()
