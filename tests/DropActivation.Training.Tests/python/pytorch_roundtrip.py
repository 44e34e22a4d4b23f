"""Round trip of weights between dropact (TorchSharp) and real PyTorch, driven by PyTorchRoundTripTests.cs.

usage: pytorch_roundtrip.py CASE DIR

CASE is "resnet34" (torchvision's definition), "preresnet20-folded" (bearpaw's pre-activation ResNet-20 for
CIFAR, written below, with ReLU replaced by LeakyReLU(0.05): the test-time form of Drop-Activation with p = 0.95)
"wrn-16-2-folded" (bearpaw's Wide ResNet 16-2, key names block1.layer.0.…, LeakyReLU(0.05)) or
"simple-cnn-folded" (the paper's simple CNN with the key names dropact documents, written below, LeakyReLU(0.05)).
DIR holds what the C# side wrote: ours.pt and ours.safetensors (the weights), ours_io.safetensors (an input and
our eval-mode output). This script loads both weight files with strict=True, runs the input in eval mode and
reports the largest difference from our output; then it writes its own weights (py.pt by torch.save,
py.safetensors, and py_checkpoint.pt: a training script's checkpoint dict holding a DataParallel state dict) and,
for a new input, its output (py_io.safetensors) for the C# side to check. Prints one JSON line.
"""
import json
from collections import OrderedDict
import struct
import sys

import torch
import torch.nn as nn
import torchvision

# ---- safetensors, written here so that no extra Python package is needed ------------------------------------------
_DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "I64": torch.int64, "I32": torch.int32}
_NAMES = {v: k for k, v in _DTYPES.items()}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = data[8 + n:]
    out = {}
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = _DTYPES[entry["dtype"]]
        raw = bytearray(body[begin:end])
        t = torch.frombuffer(raw, dtype=dtype) if len(raw) > 0 else torch.empty(0, dtype=dtype)
        out[key] = t.reshape(entry["shape"]).clone()
    return out


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for key, t in tensors.items():
        b = t.detach().cpu().contiguous().numpy().tobytes()
        header[key] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in chunks:
            f.write(b)


# ---- bearpaw/pytorch-classification's pre-activation ResNet for CIFAR (models/cifar/preresnet.py), test-time form -
class PreActBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride, downsample, slope):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inplanes)
        self.relu = nn.LeakyReLU(slope)
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.downsample = downsample

    def forward(self, x):
        out = self.conv1(self.relu(self.bn1(x)))
        out = self.conv2(self.relu(self.bn2(out)))
        return out + (x if self.downsample is None else self.downsample(x))


class PreResNet(nn.Module):
    def __init__(self, depth, num_classes, slope):
        super().__init__()
        n = (depth - 2) // 6
        self.inplanes = 16
        self.slope = slope
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.layer1 = self._make_layer(16, n, 1)
        self.layer2 = self._make_layer(32, n, 2)
        self.layer3 = self._make_layer(64, n, 2)
        self.bn = nn.BatchNorm2d(64)
        self.relu = nn.LeakyReLU(slope)
        self.avgpool = nn.AvgPool2d(8)
        self.fc = nn.Linear(64, num_classes)

    def _make_layer(self, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes, 1, stride=stride, bias=False))
        layers = [PreActBlock(self.inplanes, planes, stride, downsample, self.slope)]
        self.inplanes = planes
        layers += [PreActBlock(planes, planes, 1, None, self.slope) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.conv1(x))))
        x = self.avgpool(self.relu(self.bn(x)))
        return self.fc(x.view(x.size(0), -1))


# ---- bearpaw/pytorch-classification's Wide ResNet (models/cifar/wrn.py, after xternalz), test-time form ----------
class WideBlock(nn.Module):
    def __init__(self, cin, cout, stride, slope):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.relu1 = nn.LeakyReLU(slope)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu2 = nn.LeakyReLU(slope)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.equal = cin == cout
        self.convShortcut = None if self.equal else nn.Conv2d(cin, cout, 1, stride=stride, bias=False)

    def forward(self, x):
        activated = self.relu1(self.bn1(x))
        out = self.conv2(self.relu2(self.bn2(self.conv1(activated))))
        return out + (x if self.equal else self.convShortcut(activated))


class NetworkBlock(nn.Module):
    def __init__(self, n, cin, cout, stride, slope):
        super().__init__()
        self.layer = nn.Sequential(*[WideBlock(cin if i == 0 else cout, cout, stride if i == 0 else 1, slope) for i in range(n)])

    def forward(self, x):
        return self.layer(x)


class WideResNet(nn.Module):
    def __init__(self, depth, k, num_classes, slope):
        super().__init__()
        n, widths = (depth - 4) // 6, [16, 16 * k, 32 * k, 64 * k]
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.block1 = NetworkBlock(n, widths[0], widths[1], 1, slope)
        self.block2 = NetworkBlock(n, widths[1], widths[2], 2, slope)
        self.block3 = NetworkBlock(n, widths[2], widths[3], 2, slope)
        self.bn1 = nn.BatchNorm2d(widths[3])
        self.relu = nn.LeakyReLU(slope)
        self.fc = nn.Linear(widths[3], num_classes)

    def forward(self, x):
        x = self.block3(self.block2(self.block1(self.conv1(x))))
        x = nn.functional.avg_pool2d(self.relu(self.bn1(x)), 8)
        return self.fc(x.view(x.size(0), -1))


# ---- the paper's simple CNN (Appendix 8.1), with dropact's documented key names, test-time form ---------------------
class SimpleCnn(nn.Module):
    def __init__(self, num_classes, in_channels, size, slope):
        super().__init__()

        def block(cin, cout):
            return nn.Sequential(OrderedDict(conv=nn.Conv2d(cin, cout, 3, padding=1), bn=nn.BatchNorm2d(cout),
                                             relu=nn.LeakyReLU(slope), pool=nn.AvgPool2d(2)))

        self.block1, self.block2, self.block3 = block(in_channels, 32), block(32, 64), block(64, 128)
        self.fc1 = nn.Linear(128 * (size // 8) ** 2, 1000)
        self.relu = nn.LeakyReLU(slope)
        self.fc2 = nn.Linear(1000, num_classes)

    def forward(self, x):
        x = self.block3(self.block2(self.block1(x)))
        return self.fc2(self.relu(self.fc1(torch.flatten(x, 1))))


def build(case):
    if case == "resnet34":
        return torchvision.models.resnet34(num_classes=1000), (2, 3, 64, 64)
    if case == "preresnet20-folded":
        return PreResNet(20, 10, slope=0.05), (4, 3, 32, 32)
    if case == "wrn-16-2-folded":
        return WideResNet(16, 2, 10, slope=0.05), (4, 3, 32, 32)
    if case == "simple-cnn-folded":
        return SimpleCnn(10, 3, 32, slope=0.05), (4, 3, 32, 32)
    raise SystemExit(f"unknown case {case}")


def randomise(model, seed):
    """Fresh weights and non-trivial BatchNorm statistics, so eval mode differs from train mode everywhere
    (the same ranges as the C# side: logits in the single digits, like a trained network's)."""
    torch.manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.weight.data.uniform_(0.5, 1.0)
            m.bias.data.uniform_(-0.2, 0.2)
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.num_batches_tracked.fill_(7)


def main():
    case, folder = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    model, shape = build(case)
    model.eval()
    reference_keys = sorted(model.state_dict().keys())
    io = read_safetensors(f"{folder}/ours_io.safetensors")
    diffs, ours_keys = {}, None
    for name, state in (("pt", torch.load(f"{folder}/ours.pt")), ("safetensors", read_safetensors(f"{folder}/ours.safetensors"))):
        ours_keys = sorted(state.keys())
        model.load_state_dict(state, strict=True)
        with torch.no_grad():
            diffs[name] = (model(io["input"]) - io["output"]).abs().max().item()

    randomise(model, seed=1234)
    torch.save(model.state_dict(), f"{folder}/py.pt")
    # As training scripts save them (bearpaw's among them): the state dict inside a dict, keys from nn.DataParallel.
    torch.save({"epoch": 3, "state_dict": OrderedDict(("module." + k, v) for k, v in model.state_dict().items())},
               f"{folder}/py_checkpoint.pt")
    write_safetensors(f"{folder}/py.safetensors", model.state_dict())
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(99))
    with torch.no_grad():
        y = model(x)
    write_safetensors(f"{folder}/py_io.safetensors", {"input": x, "output": y})
    print(json.dumps({
        "torch": torch.__version__,
        "keys_equal": ours_keys == reference_keys,
        "keys": len(reference_keys),
        "max_diff_pt": diffs["pt"],
        "max_diff_safetensors": diffs["safetensors"],
        "output_scale": y.abs().max().item(),
    }))


if __name__ == "__main__":
    main()
