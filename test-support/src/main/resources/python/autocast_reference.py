"""Reference bfloat16 mixed-precision step in PyTorch: forward and loss under
torch.autocast("cpu", dtype=torch.bfloat16), backward to the float32 weights.

usage: autocast_reference.py CONFIG WEIGHTS INPUTS_JSON OUT_SAFETENSORS
INPUTS_JSON holds input_ids, attention_mask, token_type_ids and labels. Writes every weight's
gradient (float32) to OUT_SAFETENSORS and prints {"loss": ..., "logits": [[...]]}.
"""
import json
import sys

import torch

from bert_reference import BertForSequenceClassification, read_safetensors
from train_reference import write_safetensors


def main():
    config = json.load(open(sys.argv[1]))
    inputs = json.load(open(sys.argv[3]))
    torch.set_num_threads(1)
    model = BertForSequenceClassification(config)
    model.load_state_dict(read_safetensors(sys.argv[2]), strict=True)
    model.train()
    ids = torch.tensor(inputs["input_ids"])
    mask = torch.tensor(inputs["attention_mask"])
    types = torch.tensor(inputs["token_type_ids"])
    labels = torch.tensor(inputs["labels"])
    with torch.autocast("cpu", dtype=torch.bfloat16):
        logits, _ = model(ids, mask, types)
        loss = torch.nn.functional.cross_entropy(logits, labels)
    loss.backward()
    grads = {n: p.grad for n, p in model.named_parameters() if p.grad is not None}
    write_safetensors(sys.argv[4], grads)
    json.dump({"loss": float(loss), "logits": logits.float().tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
