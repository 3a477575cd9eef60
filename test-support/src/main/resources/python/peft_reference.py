"""Reference forward pass of a PEFT-adapted BertForSequenceClassification in plain PyTorch.

Reads the base model (HF names) and an adapter directory the way Hugging Face PEFT lays it out
(adapter_config.json, adapter_model.safetensors with PEFT's tensor names), rebuilds the adapted
model from the method's published definition and prints its logits:
- LORA: every target nn.Linear computes W x + b + (lora_alpha / r) * B(A(x)) (alpha / sqrt(r) with
  use_rslora); other saved tensors (classifier, biases) replace the base's.
- PROMPT_TUNING: num_virtual_tokens embeddings are prepended to the word embeddings (inputs_embeds),
  the attention mask gets ones and the token types zeros in front; positions count from 0.
- kft_bottleneck: z + up(relu(down(z))) on each adapted sub-layer output before residual + norm.

usage: peft_reference.py CONFIG_JSON BASE_SAFETENSORS ADAPTER_DIR INPUTS_JSON
prints {"logits": [[...]]}
"""
import json
import math
import sys

import torch
from torch import nn

from bert_reference import BertForSequenceClassification, read_safetensors


class LoraLinear(nn.Module):
    def __init__(self, base, a, b, scaling):
        super().__init__()
        self.base, self.a, self.b, self.scaling = base, a, b, scaling

    def forward(self, x):
        return self.base(x) + (x @ self.a.T @ self.b.T) * self.scaling


def apply_lora(model, config, tensors):
    r = config["r"]
    scaling = config["lora_alpha"] / (math.sqrt(r) if config.get("use_rslora") else r)
    state = {}
    for name, value in tensors.items():
        name = name.removeprefix("base_model.model.")
        if ".lora_A." in name:
            module = name.split(".lora_A.")[0]
            parent_name, child = module.rsplit(".", 1)
            parent = model.get_submodule(parent_name)
            b = tensors["base_model.model." + module + ".lora_B.weight"]
            setattr(parent, child, LoraLinear(getattr(parent, child), value, b, scaling))
        elif ".lora_B." not in name:
            state[name] = value
    for name, value in state.items():
        module, attr = name.rsplit(".", 1)
        target = model.get_submodule(module)
        target = target.base if isinstance(target, LoraLinear) else target
        getattr(target, attr).data.copy_(value)


class Bottleneck(nn.Module):
    def __init__(self, dense_norm, down_w, down_b, up_w, up_b):
        super().__init__()
        self.inner = dense_norm
        self.down_w, self.down_b, self.up_w, self.up_b = down_w, down_b, up_w, up_b

    def forward(self, x, residual):
        z = self.inner.dropout(self.inner.dense(x))
        z = z + torch.relu(z @ self.down_w.T + self.down_b) @ self.up_w.T + self.up_b
        return self.inner.LayerNorm(z + residual)


def apply_bottleneck(model, tensors):
    for name in [n for n in tensors if n.endswith(".adapter.down.weight")]:
        sublayer = name.removesuffix(".adapter.down.weight")
        p = sublayer + ".adapter."
        parent_name, child = sublayer.rsplit(".", 1)
        parent = model.get_submodule(parent_name)
        setattr(parent, child, Bottleneck(getattr(parent, child), tensors[p + "down.weight"],
                                          tensors[p + "down.bias"], tensors[p + "up.weight"],
                                          tensors[p + "up.bias"]))
    for name, value in tensors.items():
        if ".adapter." not in name:
            module, attr = name.rsplit(".", 1)
            getattr(model.get_submodule(module), attr).data.copy_(value)


def prompted_forward(model, prompt, input_ids, attention_mask, token_type_ids):
    b, n = input_ids.shape[0], prompt.shape[0]
    emb = model.bert.embeddings
    words = torch.cat([prompt.unsqueeze(0).expand(b, -1, -1), emb.word_embeddings(input_ids)], 1)
    types = torch.cat([torch.zeros(b, n, dtype=token_type_ids.dtype), token_type_ids], 1)
    mask = torch.cat([torch.ones(b, n, dtype=attention_mask.dtype), attention_mask], 1)
    positions = torch.arange(words.shape[1]).unsqueeze(0)
    x = emb.LayerNorm(words + emb.position_embeddings(positions) + emb.token_type_embeddings(types))
    bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    hidden = model.bert.encoder(x, bias)
    return model.classifier(model.bert.pooler(hidden))


def adapted_logits(model, adapter, tensors, ids, mask, types):
    """Logits of the base model with the adapter (its config and PEFT-named tensors) applied."""
    with torch.no_grad():
        kind = adapter["peft_type"]
        if kind == "LORA":
            apply_lora(model, adapter, tensors)
            return model(ids, mask, types)[0]
        if kind == "PROMPT_TUNING":
            for name, value in tensors.items():
                if name != "prompt_embeddings":
                    module, attr = name.removeprefix("base_model.").rsplit(".", 1)
                    getattr(model.get_submodule(module), attr).data.copy_(value)
            return prompted_forward(model, tensors["prompt_embeddings"], ids, mask, types)
        if kind == "kft_bottleneck":
            apply_bottleneck(model, tensors)
            return model(ids, mask, types)[0]
        raise SystemExit("unknown peft_type " + kind)


def main():
    config = json.load(open(sys.argv[1]))
    adapter = json.load(open(sys.argv[3] + "/adapter_config.json"))
    tensors = read_safetensors(sys.argv[3] + "/adapter_model.safetensors")
    inputs = json.load(open(sys.argv[4]))
    model = BertForSequenceClassification(config)
    model.load_state_dict(read_safetensors(sys.argv[2]), strict=True)
    model.eval()
    ids = torch.tensor(inputs["input_ids"])
    mask = torch.tensor(inputs["attention_mask"])
    types = torch.tensor(inputs["token_type_ids"])
    logits = adapted_logits(model, adapter, tensors, ids, mask, types)
    json.dump({"logits": logits.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
