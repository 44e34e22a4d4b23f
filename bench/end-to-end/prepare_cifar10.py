#!/usr/bin/env python3
"""Writes a stratified CIFAR-10 subset, decoded from the JPEG copy (train/test tar.gz of
<class>/NNNN.jpg), as CIFAR-10 binary batches (label byte + 3072 RGB plane bytes per record):
OUT/cifar10/cifar-10-batches-bin/data_batch_{1..5}.bin and test_batch.bin."""
import io
import os
import sys
import tarfile

import numpy as np
from PIL import Image

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def records(tar_path, per_class):
    chosen = {c: [] for c in CLASSES}
    with tarfile.open(tar_path, "r:gz") as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith(".jpg"):
                continue
            cls = member.name.split("/")[-2]
            if len(chosen[cls]) >= per_class:
                continue
            image = Image.open(io.BytesIO(tar.extractfile(member).read())).convert("RGB")
            pixels = np.asarray(image, dtype=np.uint8).transpose(2, 0, 1).reshape(-1)
            chosen[cls].append(np.concatenate([[CLASSES.index(cls)], pixels]).astype(np.uint8))
    rows = [r for c in CLASSES for r in chosen[c]]
    order = np.random.default_rng(0).permutation(len(rows))
    return np.stack([rows[i] for i in order])


def main():
    src, out, train_per_class, test_per_class = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    folder = os.path.join(out, "cifar10", "cifar-10-batches-bin")
    os.makedirs(folder, exist_ok=True)
    train = records(os.path.join(src, "cifar10-jpeg-train.tar.gz"), train_per_class)
    for i, part in enumerate(np.array_split(train, 5)):
        part.tofile(os.path.join(folder, f"data_batch_{i + 1}.bin"))
    records(os.path.join(src, "cifar10-jpeg-test.tar.gz"), test_per_class).tofile(os.path.join(folder, "test_batch.bin"))
    with open(os.path.join(folder, "batches.meta.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")
    print(f"{len(train)} train / {test_per_class * 10} test images in {folder}")


if __name__ == "__main__":
    main()
