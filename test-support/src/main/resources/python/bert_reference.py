"""Reference forward pass of Hugging Face's BertForSequenceClassification in plain PyTorch.

The modules and their names follow transformers' modeling_bert.py (eager attention, post-LN,
tanh pooler on the first token), so a state dict saved by transformers loads here with
strict=True. Weights are read from safetensors with json + numpy only, independently of kft.

usage: bert_reference.py CONFIG_JSON WEIGHTS_SAFETENSORS INPUTS_JSON
prints {"logits": [[...]], "last_hidden_state": [[[...]]]}
"""
import json
import math
import sys

import numpy as np
import torch
from torch import nn


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    base = 8 + n
    dtypes = {"F32": np.float32, "F16": np.float16}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[base + begin:base + end]
        if info["dtype"] == "BF16":
            # bfloat16 is the upper half of a float32: shift the 16 bits back into place
            array = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=dtypes[info["dtype"]]).astype(np.float32)
        tensors[name] = torch.from_numpy(array.reshape(info["shape"]))
    return tensors


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=c.get("pad_token_id", 0))
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])
        self.absolute = c.get("position_embedding_type", "absolute") == "absolute"

    def forward(self, input_ids, token_type_ids):
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        if self.absolute:
            x = x + self.position_embeddings(torch.arange(input_ids.shape[1]).unsqueeze(0))
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.size = h // self.heads
        self.query = nn.Linear(h, h)
        self.key = nn.Linear(h, h)
        self.value = nn.Linear(h, h)
        self.dropout = nn.Dropout(c["attention_probs_dropout_prob"])
        self.kind = c.get("position_embedding_type", "absolute")
        if self.kind != "absolute":
            self.max_positions = c["max_position_embeddings"]
            self.distance_embedding = nn.Embedding(2 * self.max_positions - 1, self.size)

    def relative(self, q, k):
        n = q.shape[2]
        distance = torch.arange(n).view(-1, 1) - torch.arange(n).view(1, -1)
        table = self.distance_embedding(distance + self.max_positions - 1)
        terms = torch.einsum("bhld,lrd->bhlr", q, table)
        if self.kind == "relative_key_query":
            terms = terms + torch.einsum("bhrd,lrd->bhlr", k, table)
        return terms

    def split(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.heads, self.size).permute(0, 2, 1, 3)

    def forward(self, x, bias):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2))
        if self.kind != "absolute":
            scores = scores + self.relative(q, k)
        scores = scores / math.sqrt(self.size) + bias
        probs = self.dropout(torch.softmax(scores, dim=-1))
        context = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return context.view(context.shape[0], context.shape[1], -1)


class DenseNorm(nn.Module):
    def __init__(self, c, inputs):
        super().__init__()
        self.dense = nn.Linear(inputs, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c, c["hidden_size"])

    def forward(self, x, bias):
        return self.output(self.self(x, bias), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.act = {"gelu": nn.GELU(), "relu": nn.ReLU(), "tanh": nn.Tanh()}[c["hidden_act"]]

    def forward(self, x):
        return self.act(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c, c["intermediate_size"])

    def forward(self, x, bias):
        h = self.attention(x, bias)
        return self.output(self.intermediate(h), h)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, x, bias):
        for layer in self.layer:
            x = layer(x, bias)
        return x


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, x):
        return torch.tanh(self.dense(x[:, 0]))


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        bias = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        hidden = self.encoder(self.embeddings(input_ids, token_type_ids), bias)
        return hidden, self.pooler(hidden)


class BertForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = Bert(c)
        p = c.get("classifier_dropout")
        self.dropout = nn.Dropout(c["hidden_dropout_prob"] if p is None else p)
        self.classifier = nn.Linear(c["hidden_size"], len(c["id2label"]))

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden, pooled = self.bert(input_ids, attention_mask, token_type_ids)
        return self.classifier(self.dropout(pooled)), hidden


def main():
    config = json.load(open(sys.argv[1]))
    inputs = json.load(open(sys.argv[3]))
    model = BertForSequenceClassification(config)
    model.load_state_dict(read_safetensors(sys.argv[2]), strict=True)
    model.eval()
    with torch.no_grad():
        logits, hidden = model(
            torch.tensor(inputs["input_ids"]),
            torch.tensor(inputs["attention_mask"]),
            torch.tensor(inputs["token_type_ids"]))
    json.dump({"logits": logits.tolist(), "last_hidden_state": hidden.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
