#!/usr/bin/env python3
"""The PyTorch side of the end-to-end benchmark: trains the same network on the same data with the
same recipe as `dropact train`, and prints one JSON object per epoch (train and eval seconds).

The networks are written here to match the zoo of Drop-Activation for .NET exactly (the driver
checks the parameter counts against `dropact`): the paper's simple CNN, bearpaw's pre-activation
ResNet-20 and xternalz's Wide ResNet 16-4 (dropout 0). Data: the same files dropact reads
(CIFAR-10 binary batches, Fashion-MNIST idx), the same fixed subsets (the first N images of a
seeded permutation is not needed: the driver hands both tools the same pre-cut files), the same
augmentation (pad-4 random crop + horizontal flip for 32x32 RGB; none for Fashion-MNIST) through
PyTorch's own DataLoader.

Drop-Activation, two ways: `dropact-bernoulli` is the authors' formulation (a Bernoulli mask
tensor, y = mask * relu(x) + (1 - mask) * x), `dropact-best` the fastest this file could write
(a custom autograd function: one uniform draw compared in place, a bool mask saved for backward).

The best PyTorch user's modes: --channels-last (model and batches in torch.channels_last) and --bf16
(torch.autocast on the CPU in bfloat16, worth it only where the CPU computes bf16 natively: AVX512_BF16 or AMX).
"""
import argparse
import contextlib
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


# ---------------------------------------------------------------- activations

class DropActBase(nn.Module):
    """Drop-Activation around ReLU; evaluation is leaky_relu(x, 1 - p) for every training form."""

    def __init__(self, p=0.95):
        super().__init__()
        self.p = p

    def forward(self, x):
        return self.train_forward(x) if self.training else F.leaky_relu(x, 1.0 - self.p)


class DropActBernoulli(DropActBase):
    """The authors' formulation: a dense Bernoulli mask (1 keeps ReLU)."""

    def train_forward(self, x):
        mask = torch.bernoulli(torch.full_like(x, self.p))
        return mask * F.relu(x) + (1.0 - mask) * x


class _DropActFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, p):
        # float32 draws whatever x is (a bf16 uniform has 8 bits); a bool mask for masked_fill and backward.
        zeroed = torch.rand_like(x, dtype=torch.float32).lt(p).logical_and_(x <= 0)
        ctx.save_for_backward(zeroed)
        return x.masked_fill(zeroed, 0.0)

    @staticmethod
    def backward(ctx, grad):
        (zeroed,) = ctx.saved_tensors
        return grad.masked_fill(zeroed, 0.0), None


class DropActBest(DropActBase):
    """Drop-Activation as fast as plain PyTorch goes: one draw, a bool mask, no float mask."""

    def train_forward(self, x):
        return _DropActFunction.apply(x, self.p)


def activation(name):
    if name == "relu":
        return lambda: nn.ReLU()
    if name == "dropact-bernoulli":
        return lambda: DropActBernoulli(0.95)
    if name == "dropact-best":
        return lambda: DropActBest(0.95)
    raise SystemExit(f"unknown activation {name}")


# ---------------------------------------------------------------- networks (as the zoo builds them)

def kaiming_convs_unit_bn(model):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


class SimpleCnn(nn.Module):
    def __init__(self, act, in_channels, size, classes):
        super().__init__()
        blocks, c = [], in_channels
        for f in (32, 64, 128):
            blocks.append(nn.Sequential(nn.Conv2d(c, f, 3, padding=1), nn.BatchNorm2d(f), act(), nn.AvgPool2d(2)))
            c = f
        self.blocks = nn.Sequential(*blocks)
        side = size // 8
        self.fc1 = nn.Linear(128 * side * side, 1000)
        self.relu = act()
        self.fc2 = nn.Linear(1000, classes)

    def forward(self, x):
        return self.fc2(self.relu(self.fc1(self.blocks(x).flatten(1))))


class PreActBasicBlock(nn.Module):
    def __init__(self, act, inp, planes, stride):
        super().__init__()
        self.bn1, self.relu1 = nn.BatchNorm2d(inp), act()
        self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn2, self.relu2 = nn.BatchNorm2d(planes), act()
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.downsample = nn.Conv2d(inp, planes, 1, stride, bias=False) if stride != 1 or inp != planes else None

    def forward(self, x):
        out = self.conv2(self.relu2(self.bn2(self.conv1(self.relu1(self.bn1(x))))))
        return out + (x if self.downsample is None else self.downsample(x))


class PreResNet20(nn.Module):
    def __init__(self, act, in_channels, classes, n=3):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 3, padding=1, bias=False)
        layers, inp = [], 16
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            blocks = []
            for i in range(n):
                blocks.append(PreActBasicBlock(act, inp, planes, stride if i == 0 else 1))
                inp = planes
            layers.append(nn.Sequential(*blocks))
        self.layers = nn.Sequential(*layers)
        self.bn, self.relu = nn.BatchNorm2d(64), act()
        self.fc = nn.Linear(64, classes)
        kaiming_convs_unit_bn(self)

    def forward(self, x):
        h = self.relu(self.bn(self.layers(self.conv1(x))))
        return self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


class WideBasicBlock(nn.Module):
    def __init__(self, act, inp, out, stride):
        super().__init__()
        self.bn1, self.relu1 = nn.BatchNorm2d(inp), act()
        self.conv1 = nn.Conv2d(inp, out, 3, stride, 1, bias=False)
        self.bn2, self.relu2 = nn.BatchNorm2d(out), act()
        self.conv2 = nn.Conv2d(out, out, 3, 1, 1, bias=False)
        self.shortcut = nn.Conv2d(inp, out, 1, stride, bias=False) if inp != out or stride != 1 else None

    def forward(self, x):
        activated = self.relu1(self.bn1(x))
        out = self.conv2(self.relu2(self.bn2(self.conv1(activated))))
        return out + (x if self.shortcut is None else self.shortcut(activated))


class WideResNet(nn.Module):
    def __init__(self, act, in_channels, classes, depth=16, k=4):
        super().__init__()
        n = (depth - 4) // 6
        widths = (16, 16 * k, 32 * k, 64 * k)
        self.conv1 = nn.Conv2d(in_channels, 16, 3, padding=1, bias=False)
        stages, inp = [], widths[0]
        for w, stride in zip(widths[1:], (1, 2, 2)):
            stages.append(nn.Sequential(*[WideBasicBlock(act, inp if i == 0 else w, w, stride if i == 0 else 1) for i in range(n)]))
            inp = w
        self.stages = nn.Sequential(*stages)
        self.bn1, self.relu = nn.BatchNorm2d(widths[3]), act()
        self.fc = nn.Linear(widths[3], classes)
        kaiming_convs_unit_bn(self)
        nn.init.zeros_(self.fc.bias)

    def forward(self, x):
        h = self.relu(self.bn1(self.stages(self.conv1(x))))
        return self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


def build(model, act, in_channels, size, classes):
    if model == "simple-cnn":
        return SimpleCnn(act, in_channels, size, classes)
    if model == "preresnet-20":
        return PreResNet20(act, in_channels, classes)
    if model == "wrn-16-4":
        return WideResNet(act, in_channels, classes)
    raise SystemExit(f"unknown model {model}")


# ---------------------------------------------------------------- data (the files dropact reads)

def read_cifar10(folder, train):
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] if train else ["test_batch.bin"]
    raw = np.concatenate([np.fromfile(os.path.join(folder, n), dtype=np.uint8) for n in names if os.path.exists(os.path.join(folder, n))])
    records = raw.reshape(-1, 3073)
    return records[:, 1:].reshape(-1, 3, 32, 32), records[:, 0].astype(np.int64)


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class ImageSet(Dataset):
    """uint8 images (N, C, H, W) normalised per channel, with the pad-4 crop + flip when augmenting."""

    def __init__(self, images, labels, mean, std, augment):
        self.images = torch.from_numpy(np.ascontiguousarray(images))
        self.labels = torch.from_numpy(labels)
        self.mean = torch.tensor(mean).view(-1, 1, 1)
        self.std = torch.tensor(std).view(-1, 1, 1)
        self.augment = augment

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.images[i].float().div_(255.0)
        if self.augment:
            x = F.pad(x, (4, 4, 4, 4))
            top, left = np.random.randint(0, 9, size=2)
            x = x[:, top:top + 32, left:left + 32]
            if np.random.rand() < 0.5:
                x = x.flip(2)
        return (x - self.mean) / self.std, self.labels[i]


def load(dataset, root, train_subset, test_subset, seed):
    rng = np.random.default_rng(seed)
    if dataset == "cifar10":
        folder = os.path.join(root, "cifar10", "cifar-10-batches-bin")
        xtr, ytr = read_cifar10(folder, True)
        xte, yte = read_cifar10(folder, False)
        mean, std, augment = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616), True
    elif dataset == "fashion-mnist":
        folder = os.path.join(root, "fashion-mnist")
        xtr = read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz"))[:, None]
        ytr = read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz")).astype(np.int64)
        xte = read_idx(os.path.join(folder, "t10k-images-idx3-ubyte.gz"))[:, None]
        yte = read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
        mean, std, augment = (0.2860,), (0.3530,), False
    else:
        raise SystemExit(f"unknown dataset {dataset}")
    if train_subset:
        keep = rng.permutation(len(ytr))[:train_subset]
        xtr, ytr = xtr[keep], ytr[keep]
    if test_subset:
        keep = rng.permutation(len(yte))[:test_subset]
        xte, yte = xte[keep], yte[keep]
    return ImageSet(xtr, ytr, mean, std, augment), ImageSet(xte, yte, mean, std, False)


# ---------------------------------------------------------------- training

def main():
    a = argparse.ArgumentParser()
    a.add_argument("--model", required=True)
    a.add_argument("--dataset", required=True)
    a.add_argument("--data", required=True)
    a.add_argument("--act", default="relu")
    a.add_argument("--epochs", type=int, default=3)
    a.add_argument("--batch-size", type=int, default=64)
    a.add_argument("--lr", type=float, default=0.05)
    a.add_argument("--train-subset", type=int, default=0)
    a.add_argument("--test-subset", type=int, default=0)
    a.add_argument("--threads", type=int, default=2)
    a.add_argument("--workers", type=int, default=1)
    a.add_argument("--seed", type=int, default=0)
    a.add_argument("--channels-last", action="store_true", help="model and batches in torch.channels_last")
    a.add_argument("--bf16", action="store_true", help="forward under torch.autocast('cpu', dtype=torch.bfloat16); the loss in fp32")
    a.add_argument("--count-only", action="store_true", help="print the parameter count and exit")
    args = a.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    train_set, test_set = load(args.dataset, args.data, args.train_subset, args.test_subset, args.seed)
    c, size = train_set.images.shape[1], train_set.images.shape[2]
    classes = 10
    model = build(args.model, activation(args.act), c, size, classes)
    params = sum(p.numel() for p in model.parameters())
    if args.count_only:
        print(json.dumps({"model": args.model, "parameters": params}))
        return
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    layout = torch.channels_last if args.channels_last else torch.contiguous_format
    autocast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if args.bf16 else contextlib.nullcontext
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, num_workers=args.workers,
                              persistent_workers=args.workers > 0, drop_last=False)
    test_loader = DataLoader(test_set, batch_size=max(args.batch_size, 256), shuffle=False, num_workers=0)

    for epoch in range(1, args.epochs + 1):
        model.train()
        start = time.perf_counter()
        seen, loss_sum = 0, 0.0
        for x, y in train_loader:
            with autocast():
                out = model(x.contiguous(memory_format=layout))
            loss = F.cross_entropy(out.float(), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(y)
            seen += len(y)
        train_seconds = time.perf_counter() - start
        model.eval()
        start = time.perf_counter()
        wrong = 0
        with torch.inference_mode(), autocast():
            for x, y in test_loader:
                wrong += (model(x.contiguous(memory_format=layout)).argmax(1) != y).sum().item()
        test_seconds = time.perf_counter() - start
        print(json.dumps({"epoch": epoch, "train_seconds": train_seconds, "test_seconds": test_seconds,
                          "train_images": seen, "test_images": len(test_set), "train_loss": loss_sum / seen,
                          "test_error": wrong / len(test_set), "parameters": params}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
