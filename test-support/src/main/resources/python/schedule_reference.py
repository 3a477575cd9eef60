"""Learning rates of transformers' schedules, through PyTorch's LambdaLR.

The lambdas are those of transformers' get_linear_schedule_with_warmup,
get_cosine_schedule_with_warmup (half a cosine), get_constant_schedule (no warmup) and
get_constant_schedule_with_warmup; LambdaLR multiplies the optimizer's rate by them, step by step.

usage: schedule_reference.py TYPE PEAK WARMUP TOTAL
prints the rate each of the TOTAL optimizer steps uses, as a JSON list
"""
import json
import math
import sys

import torch


def lambdas(warmup, total):
    def warming(step):
        return step / max(1, warmup)

    def linear(step):
        if step < warmup:
            return warming(step)
        return max(0.0, (total - step) / max(1, total - warmup))

    def cosine(step):
        if step < warmup:
            return warming(step)
        progress = (step - warmup) / max(1, total - warmup)
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))

    def constant_with_warmup(step):
        return warming(step) if step < warmup else 1.0

    return {"linear": linear, "cosine": cosine, "constant": lambda step: 1.0,
            "constant_with_warmup": constant_with_warmup}


def main():
    kind, peak, warmup, total = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    weight = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([weight], lr=peak)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambdas(warmup, total)[kind])
    rates = []
    for _ in range(total):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    json.dump(rates, sys.stdout)


if __name__ == "__main__":
    main()
