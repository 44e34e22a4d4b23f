#!/usr/bin/env python3
"""Where one training step of the best PyTorch user goes, phase by phase: the step of pytorch_train.py (the batch
into the layout, forward under autocast, the loss in fp32, its value read back, zero_grad(set_to_none=True),
backward, torch.optim.SGD with momentum 0.9 and weight decay 5e-4, the error count), each phase timed on its own.
The .NET side is bench/DropActivation.StepPhases (the same phases of `dropact train`'s step); compare the two side by
side on a quiet machine. Medians over the timed steps (ms), after untimed warm-up steps; prints JSON with --json.

  /usr/bin/python3 bench/end-to-end/pytorch_step_phases.py --model preresnet-20 --channels-last --bf16 --threads 2
"""
import argparse
import contextlib
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_train import activation, build  # noqa: E402  (the networks of the end-to-end benchmark)

PHASES = ["input", "forward", "loss", "loss_item", "zero_grad", "backward", "optimizer", "error_count", "total"]


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--model", default="preresnet-20")
    a.add_argument("--act", default="relu", help="relu, dropact-best or dropact-bernoulli")
    a.add_argument("--batch", type=int, default=64)
    a.add_argument("--steps", type=int, default=40)
    a.add_argument("--warmup", type=int, default=5)
    a.add_argument("--threads", type=int, default=2)
    a.add_argument("--channels-last", action="store_true")
    a.add_argument("--bf16", action="store_true")
    a.add_argument("--json", action="store_true")
    args = a.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    in_channels, size = (1, 28) if args.model == "simple-cnn-fashion" else (3, 32)
    model = build(args.model, activation(args.act), in_channels, size, 10)
    layout = torch.channels_last if args.channels_last else torch.contiguous_format
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    autocast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if args.bf16 else contextlib.nullcontext
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    model.train()
    images = torch.randn(args.batch, in_channels, size, size)
    labels = torch.randint(0, 10, (args.batch,))
    samples = {p: [] for p in PHASES}
    for s in range(args.warmup + args.steps):
        times = []
        start = last = time.perf_counter()

        def mark():
            nonlocal last
            now = time.perf_counter()
            times.append(1000 * (now - last))
            last = now

        x = images.contiguous(memory_format=layout)
        mark()
        with autocast():
            out = model(x)
        mark()
        loss = F.cross_entropy(out.float(), labels)
        mark()
        loss.item()
        mark()
        opt.zero_grad(set_to_none=True)
        mark()
        loss.backward()
        mark()
        opt.step()
        mark()
        (out.argmax(1) != labels).sum().item()
        mark()
        times.append(1000 * (time.perf_counter() - start))
        if s >= args.warmup:
            for p, t in zip(PHASES, times):
                samples[p].append(t)
    medians = {p: round(statistics.median(v), 3) for p, v in samples.items()}
    mode = ("bf16" if args.bf16 else "fp32") + (", channels-last" if args.channels_last else "")
    if args.json:
        print(json.dumps({"tool": "pytorch", "model": args.model, "act": args.act, "batch": args.batch, "threads": torch.get_num_threads(),
                          "mode": mode, "steps": args.steps, "median_ms": medians}))
    else:
        print(f"pytorch {args.model} {args.act}, batch {args.batch}, {torch.get_num_threads()} threads, {mode}: median ms over {args.steps} steps")
        for p in PHASES:
            print(f"  {p:<12} {medians[p]:9.2f}")


if __name__ == "__main__":
    sys.exit(main())
