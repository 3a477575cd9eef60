"""Runs a pretrained BERT (Hugging Face layout) with the reference encoder and its masked-LM head.

Usage: pretrained_reference.py MODEL_DIR INPUTS.json
INPUTS.json: {"input_ids": [[...]], "attention_mask": [[...]], "token_type_ids": [[...]]}
Prints {"last_hidden_state": [...], "top1": [[id per position]]} as JSON.
"""
import json
import sys

import torch
from torch.nn import functional

from bert_reference import Bert, read_safetensors


def main():
    directory = sys.argv[1]
    config = json.load(open(directory + "/config.json"))
    inputs = json.load(open(sys.argv[2]))
    weights = read_safetensors(directory + "/model.safetensors")
    bert = Bert(config)
    encoder = {k[len("bert."):]: v for k, v in weights.items() if k.startswith("bert.")}
    bert.load_state_dict(encoder, strict=True)
    bert.eval()
    with torch.no_grad():
        hidden, _ = bert(
            torch.tensor(inputs["input_ids"]),
            torch.tensor(inputs["attention_mask"]),
            torch.tensor(inputs["token_type_ids"]))
        x = functional.linear(
            hidden,
            weights["cls.predictions.transform.dense.weight"],
            weights["cls.predictions.transform.dense.bias"])
        x = functional.gelu(x)
        x = functional.layer_norm(
            x, (config["hidden_size"],),
            weights["cls.predictions.transform.LayerNorm.weight"],
            weights["cls.predictions.transform.LayerNorm.bias"],
            config["layer_norm_eps"])
        scores = x @ weights["bert.embeddings.word_embeddings.weight"].T
        scores = scores + weights["cls.predictions.bias"]
    json.dump({"last_hidden_state": hidden.tolist(),
               "top1": scores.argmax(-1).tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
