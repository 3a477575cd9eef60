"""PyTorch eager side of kft's forward+backward benchmark.

usage: torch_forward_backward.py LAYERS HIDDEN BATCH SEQ WARMUP STEPS -> prints the median ms
The model is the reference BertForSequenceClassification of kft's parity test (same definition
as transformers' eager BERT); threads follow OMP_NUM_THREADS (2 by default here).
"""
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shared-model",
                                "src", "test", "resources", "python"))
from bert_reference import BertForSequenceClassification  # noqa: E402


def main():
    layers, hidden, batch, seq, warmup, steps = map(int, sys.argv[1:7])
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
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        model.zero_grad(set_to_none=True)
        logits, _ = model(ids, mask, types)
        loss = torch.nn.functional.cross_entropy(logits, labels)
        loss.backward()
        loss.item()
        if i >= warmup:
            times.append((time.perf_counter() - start) * 1000)
    print(statistics.median(times))


if __name__ == "__main__":
    main()
