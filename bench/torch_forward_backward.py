"""PyTorch eager side of kft's training-step benchmark.

usage: torch_forward_backward.py LAYERS HIDDEN BATCH SEQ WARMUP STEPS [float32|bf16]
prints the median ms of forward, backward, clip + AdamW step and the whole step; with bf16 the
forward and the loss run under torch.autocast("cpu", dtype=torch.bfloat16)
The model is the reference BertForSequenceClassification of kft's parity test (same definition
as transformers' eager BERT); threads follow OMP_NUM_THREADS (2 by default here).
"""
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test-support",
                                "src", "main", "resources", "python"))
from bert_reference import BertForSequenceClassification  # noqa: E402


def require_openmp_blas():
    """OpenBLAS's pthread build under PyTorch's OpenMP threads oversubscribes the cores."""
    with open("/proc/self/maps") as maps:
        loaded = {line.split()[-1] for line in maps if "libopenblas" in line}
    if any("pthread" in path for path in loaded):
        sys.exit("PyTorch loaded OpenBLAS's pthread build (%s); bench/run points it at the OpenMP "
                 "build" % ", ".join(sorted(loaded)))


def main():
    require_openmp_blas()
    layers, hidden, batch, seq, warmup, steps = map(int, sys.argv[1:7])
    bf16 = len(sys.argv) > 7 and sys.argv[7] == "bf16"
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    torch.manual_seed(1)
    config = {"vocab_size": 21128, "hidden_size": hidden, "num_hidden_layers": layers,
              "num_attention_heads": hidden // 64, "intermediate_size": 4 * hidden,
              "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
              "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu",
              "id2label": {"0": "a", "1": "b"}}
    model = BertForSequenceClassification(config)
    model.train()
    ids = torch.randint(1, 21128, (batch, seq))
    mask = torch.ones(batch, seq, dtype=torch.long)
    types = torch.zeros(batch, seq, dtype=torch.long)
    labels = torch.randint(0, 2, (batch,))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits, _ = model(ids, mask, types)
            loss = torch.nn.functional.cross_entropy(logits, labels)
        loss.item()
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        t3 = time.perf_counter()
        if i >= warmup:
            times.append([(t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (t3 - t0) * 1000])
    print(" ".join(str(statistics.median(column)) for column in zip(*times)))


if __name__ == "__main__":
    main()
