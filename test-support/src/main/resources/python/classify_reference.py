"""Reference text-classification pipeline in plain PyTorch over an exported kft version.

Tokenizes as Hugging Face's BertTokenizer does (basic tokenizer: CJK characters apart, punctuation
split, optional lower-casing; then greedy longest-match WordPiece) from vocab.txt alone, truncates
to tokenizer_config.json's model_max_length, and runs bert_reference's model (with peft_reference's
prompt or bottleneck adapters when adapter/ holds one; a LoRA export's weights are merged already),
under torch.autocast("cpu", dtype=torch.bfloat16) when config.json's kft_precision is bf16:
independent of kft and of the tokenizers library.

usage: classify_reference.py MODEL_DIR TEXTS_JSON
prints [[{"label": ..., "score": ...}, ...], ...] per text, every label, most probable first
"""
import json
import os
import sys
import unicodedata

import torch

from bert_reference import BertForSequenceClassification, read_safetensors
from peft_reference import adapted_logits


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def basic_tokens(text, lower):
    spaced = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
            continue
        if is_cjk(cp):
            spaced.append(" " + ch + " ")
        elif ch.isspace():
            spaced.append(" ")
        else:
            spaced.append(ch)
    tokens = []
    for word in "".join(spaced).split():
        if lower:
            word = "".join(c for c in unicodedata.normalize("NFD", word.lower())
                           if unicodedata.category(c) != "Mn")
        current = ""
        for ch in word:
            if is_punctuation(ch):
                if current:
                    tokens.append(current)
                tokens.append(ch)
                current = ""
            else:
                current += ch
        if current:
            tokens.append(current)
    return tokens


def wordpiece(token, vocab):
    if len(token) > 100:
        return ["[UNK]"]
    pieces, start = [], 0
    while start < len(token):
        end = len(token)
        piece = None
        while start < end:
            candidate = token[start:end] if start == 0 else "##" + token[start:end]
            if candidate in vocab:
                piece = candidate
                break
            end -= 1
        if piece is None:
            return ["[UNK]"]
        pieces.append(piece)
        start = end
    return pieces


def main():
    directory = sys.argv[1]
    texts = json.load(open(sys.argv[2]))
    config = json.load(open(os.path.join(directory, "config.json")))
    settings = json.load(open(os.path.join(directory, "tokenizer_config.json")))
    vocab = {}
    with open(os.path.join(directory, "vocab.txt"), encoding="utf-8") as f:
        for i, line in enumerate(f):
            vocab[line.rstrip("\n")] = i
    max_length = settings["model_max_length"]
    lower = settings.get("do_lower_case", True)
    rows = []
    for text in texts:
        pieces = [p for t in basic_tokens(text, lower) for p in wordpiece(t, vocab)]
        ids = [vocab["[CLS]"]] + [vocab[p] for p in pieces][:max_length - 2] + [vocab["[SEP]"]]
        rows.append(ids)
    width = max(len(r) for r in rows)
    pad = config.get("pad_token_id", 0)
    input_ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    model = BertForSequenceClassification(config)
    model.load_state_dict(read_safetensors(os.path.join(directory, "model.safetensors")), strict=True)
    model.eval()
    types = torch.zeros_like(input_ids)
    adapter_dir = os.path.join(directory, "adapter")
    adapter_file = os.path.join(adapter_dir, "adapter_config.json")
    adapter = json.load(open(adapter_file)) if os.path.isfile(adapter_file) else None
    bf16 = config.get("kft_precision") == "bf16"
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        if adapter is not None and adapter["peft_type"] != "LORA":
            tensors = read_safetensors(os.path.join(adapter_dir, "adapter_model.safetensors"))
            logits = adapted_logits(model, adapter, tensors, input_ids, mask, types)
        else:
            with torch.no_grad():
                logits, _ = model(input_ids, mask, types)
    logits = logits.float()
    probabilities = torch.softmax(logits, dim=-1).tolist()
    labels = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
    out = []
    for p in probabilities:
        scores = sorted(zip(labels, p), key=lambda s: -s[1])
        out.append([{"label": l, "score": s} for l, s in scores])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
