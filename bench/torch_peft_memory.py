"""PyTorch eager reference for kft's PEFT benchmark: peak resident memory of a training step.

usage: torch_peft_memory.py full|lora
Builds the reference BertForSequenceClassification at bert-base-chinese geometry, wraps query and
value in LoRA (r=8, alpha 16, dropout 0.1, base frozen) for `lora`, and runs a warm-up step and
two timed steps (batch 8, seq 128, AdamW over the trained parameters). Prints one JSON line:
median step ms and peak RSS (MiB) over the whole process.
"""
import json
import os
import resource
import statistics
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test-support",
                                "src", "main", "resources", "python"))
from bert_reference import BertForSequenceClassification  # noqa: E402


class LoraLinear(nn.Module):
    def __init__(self, base, r, alpha, dropout):
        super().__init__()
        self.base = base
        self.a = nn.Parameter(torch.empty(r, base.in_features).uniform_(-1, 1) / base.in_features ** 0.5)
        self.b = nn.Parameter(torch.zeros(base.out_features, r))
        self.scaling = alpha / r
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.base(x) + (self.dropout(x) @ self.a.T @ self.b.T) * self.scaling


def main():
    method = sys.argv[1]
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    torch.manual_seed(1)
    config = {"vocab_size": 21128, "hidden_size": 768, "num_hidden_layers": 12,
              "num_attention_heads": 12, "intermediate_size": 3072,
              "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
              "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu",
              "id2label": {"0": "a", "1": "b"}}
    model = BertForSequenceClassification(config)
    if method == "lora":
        for p in model.parameters():
            p.requires_grad_(False)
        for layer in model.bert.encoder.layer:
            attention = layer.attention.self
            attention.query = LoraLinear(attention.query, 8, 16, 0.1)
            attention.value = LoraLinear(attention.value, 8, 16, 0.1)
        for p in model.classifier.parameters():
            p.requires_grad_(True)
    model.train()
    trained = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=1e-5, weight_decay=0.01)
    ids = torch.randint(1, 21128, (8, 128))
    mask = torch.ones(8, 128, dtype=torch.long)
    types = torch.zeros(8, 128, dtype=torch.long)
    labels = torch.randint(0, 2, (8,))
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        logits, _ = model(ids, mask, types)
        torch.nn.functional.cross_entropy(logits, labels).backward()
        torch.nn.utils.clip_grad_norm_(trained, 1.0)
        optimizer.step()
        optimizer.zero_grad()
        times.append((time.perf_counter() - t0) * 1000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump({"method": method, "trainable": sum(p.numel() for p in trained),
               "stepMs": statistics.median(times[1:]), "peakRssMb": peak}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
