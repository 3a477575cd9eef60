"""Reference training steps in PyTorch for kft's optimizer, schedule, clipping and accumulation.

usage: train_reference.py CONFIG WEIGHTS BATCH_JSON SETTINGS_JSON OUT_SAFETENSORS
Runs SETTINGS["steps"] optimizer steps of torch.optim.AdamW (biases and LayerNorm weights without
weight decay, as transformers' Trainer groups them), a LambdaLR linear schedule with warmup,
clip_grad_norm_ and gradient accumulation over SETTINGS["micro_batches"] equal micro-batches
(loss divided by their number), then writes the weights with json + numpy.
"""
import json
import math
import struct
import sys

import numpy as np
import torch

from bert_reference import BertForSequenceClassification, read_safetensors


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.detach().numpy().astype(np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for raw in blobs:
            f.write(raw)


def main():
    config = json.load(open(sys.argv[1]))
    batch = json.load(open(sys.argv[3]))
    s = json.load(open(sys.argv[4]))
    torch.set_num_threads(1)
    model = BertForSequenceClassification(config)
    model.load_state_dict(read_safetensors(sys.argv[2]), strict=True)
    model.train()
    decay = [p for n, p in model.named_parameters() if not (n.endswith(".bias") or "LayerNorm" in n)]
    no_decay = [p for n, p in model.named_parameters() if n.endswith(".bias") or "LayerNorm" in n]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": s["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=s["lr"], betas=(s["beta1"], s["beta2"]), eps=s["eps"])
    warmup, total = s["warmup"], s["steps"]

    def linear(step):
        if step < warmup:
            return step / max(1, warmup)
        return max(0.0, (total - step) / max(1, total - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, linear)
    ids = torch.tensor(batch["input_ids"])
    mask = torch.tensor(batch["attention_mask"])
    types = torch.tensor(batch["token_type_ids"])
    labels = torch.tensor(batch["labels"])
    k = s["micro_batches"]
    size = ids.shape[0] // k
    norms = []
    for _ in range(total):
        for i in range(k):
            part = slice(i * size, (i + 1) * size)
            logits, _ = model(ids[part], mask[part], types[part])
            loss = torch.nn.functional.cross_entropy(logits, labels[part]) / k
            loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), s["max_grad_norm"])))
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
    write_safetensors(sys.argv[5], dict(model.named_parameters()))
    json.dump({"grad_norms": norms}, sys.stdout)


if __name__ == "__main__":
    main()
