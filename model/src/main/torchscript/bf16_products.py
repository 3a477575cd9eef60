"""Writes the two TorchScript functions kft's bfloat16 matrix products run in.

DJL's PyTorch JNI maps no bfloat16 type (casting to it aborts the JVM), so kft casts inside
TorchScript: each function casts its float32 operands to bfloat16, multiplies, and returns the
product in float32. Autograd records the casts, so gradients reach the float32 operands.

usage (from the repository root, with any PyTorch >= 1.10):
  python3 model/src/main/torchscript/bf16_products.py model/src/main/resources/dev/kft/nn
"""
import os
import sys

import torch


class Bf16Linear(torch.nn.Module):
    def forward(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        low = torch.bfloat16
        return torch.nn.functional.linear(x.to(low), weight.to(low), bias.to(low)).to(torch.float32)


class Bf16MatMul(torch.nn.Module):
    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        low = torch.bfloat16
        return torch.matmul(a.to(low), b.to(low)).to(torch.float32)


def main():
    target = sys.argv[1]
    torch.jit.save(torch.jit.script(Bf16Linear()), os.path.join(target, "bf16_linear.pt"))
    torch.jit.save(torch.jit.script(Bf16MatMul()), os.path.join(target, "bf16_matmul.pt"))


if __name__ == "__main__":
    main()
