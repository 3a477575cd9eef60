"""An independent safetensors reader and writer (json + numpy only), to check kft's against.

usage: safetensors_interop.py read FILE   -> {"header_length": n, "tensors": {name: {dtype, shape, hex}}}
       safetensors_interop.py write FILE  -> writes F32/F16/BF16 tensors with an unpadded header,
                                             prints {name: {"shape": [...], "f32_bits": [...]}}
       safetensors_interop.py narrow FILE -> reads F32 tensors and casts them with PyTorch,
                                             prints {name: {"bf16_hex": ..., "f16_hex": ...}}
"""
import json
import struct
import sys

import numpy as np


def parse(path):
    """The header's length, the header, and (name, header entry, raw bytes) of every tensor."""
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    tensors = [(name, info, data[8 + n + info["data_offsets"][0]:8 + n + info["data_offsets"][1]])
               for name, info in header.items() if name != "__metadata__"]
    return n, header, tensors


def read(path):
    n, header, tensors = parse(path)
    out = {name: {"dtype": info["dtype"], "shape": info["shape"], "hex": raw.hex()}
           for name, info, raw in tensors}
    json.dump({"header_length": n, "metadata": header.get("__metadata__"), "tensors": out}, sys.stdout)


def write(path):
    rng = np.random.default_rng(0)
    f32 = rng.standard_normal((3, 5)).astype(np.float32)
    f32[0, 0], f32[0, 1], f32[0, 2] = np.inf, -0.0, np.float32(1e-40)
    f16 = rng.standard_normal((4, 2)).astype(np.float16)
    f16[0, 0], f16[0, 1], f16[1, 0] = np.float16(-np.inf), np.float16(6e-8), np.float16(65504)
    bf16_source = rng.standard_normal((7,)).astype(np.float32)
    bf16_source[0] = np.float32(-3.0e38)
    bf16_raw = (bf16_source.view(np.uint32) >> 16).astype(np.uint16)
    tensors = [("a.f32", "F32", f32.tobytes(), f32.shape, f32.view(np.uint32)),
               ("b.f16", "F16", f16.tobytes(), f16.shape, f16.astype(np.float32).view(np.uint32)),
               ("c.bf16", "BF16", bf16_raw.tobytes(), bf16_source.shape,
                (bf16_raw.astype(np.uint32) << 16))]
    header, blobs, offset = {}, [], 0
    for name, dtype, raw, shape, _ in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for raw in blobs:
            f.write(raw)
    json.dump({name: {"shape": list(shape), "f32_bits": [int(b) for b in bits.ravel()]}
               for name, _, _, shape, bits in tensors}, sys.stdout)


def narrow(path):
    import torch

    out = {}
    for name, _, raw in parse(path)[2]:
        values = torch.from_numpy(np.frombuffer(raw, dtype="<f4").copy())
        out[name] = {
            "bf16_hex": values.to(torch.bfloat16).view(torch.int16).numpy().astype("<i2").tobytes().hex(),
            "f16_hex": values.to(torch.float16).numpy().astype("<f2").tobytes().hex(),
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    {"read": read, "write": write, "narrow": narrow}[sys.argv[1]](sys.argv[2])
