"""Writes the TorchScript functions kft's reduced-precision matrix products run in.

DJL's PyTorch JNI maps no bfloat16 type (casting to it aborts the JVM), so kft casts inside
TorchScript: each function casts its float32 operands to bfloat16 (or float16), multiplies, and
returns the product in float32. Autograd records the casts, so gradients reach the float32
operands. The float16 pair serves fp16 training on a GPU, where float16 products accumulate in
float32 as autocast's do.

usage (from the repository root, with any PyTorch >= 1.10):
  python3 model/src/main/torchscript/bf16_products.py model/src/main/resources/dev/kft/nn
"""
import os
import sys

import torch


class Linear(torch.nn.Module):
    def __init__(self, low: torch.dtype):
        super().__init__()
        self.low = low

    def forward(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        low = self.low
        return torch.nn.functional.linear(x.to(low), weight.to(low), bias.to(low)).to(torch.float32)


class MatMul(torch.nn.Module):
    def __init__(self, low: torch.dtype):
        super().__init__()
        self.low = low

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.matmul(a.to(self.low), b.to(self.low)).to(torch.float32)


def main():
    target = sys.argv[1]
    for prefix, low in (("bf16", torch.bfloat16), ("fp16", torch.float16)):
        for name, module in (("linear", Linear(low)), ("matmul", MatMul(low))):
            path = os.path.join(target, prefix + "_" + name + ".pt")
            torch.jit.save(torch.jit.script(module), path)


if __name__ == "__main__":
    main()
