#!/usr/bin/env python3
"""End-to-end training throughput, `dropact train` against PyTorch, in one run (prints JSON).

For each network (simple-cnn on Fashion-MNIST, preresnet-20 and wrn-16-4 on 32x32 RGB CIFAR-10
images) and each activation, trains with `dropact train` and with pytorch_train.py on the same
files, the same number of images and epochs, batch size, SGD recipe and threads, and measures
images per second of the training epochs (data loading included), of the first epoch alone, and
of evaluation. The runs are interleaved (dropact, then PyTorch, for one activation after the
other, repeated), so a machine's slow drifts hit both. Parameter counts are checked equal first.

By default dropact runs in each of its modes (fp32; --channels-last; and, where the CPU computes bf16
natively, --channels-last --precision bf16; or --dropact-modes 'label=flags;...') and PyTorch as the best
PyTorch user on this CPU (--pytorch-mode best: channels_last, plus autocast bf16 where native); the JSON's
"ratios" pair every repeat's runs: Drop-Act / ReLU per mode, each mode over fp32, and each mode over PyTorch.

Drop-Activation's own end-to-end cost is measured in pairs: in every repeat dropact's ReLU run and
its Drop-Activation run are back to back, in alternating order (ReLU first in odd repeats, second
in even ones), and the JSON gives each repeat's ratio Drop-Act / ReLU (training images/s, first
epoch, evaluation) with the geometric mean and its 95% t interval. --dropact-only skips the PyTorch
runs, so that many pairs fit in the time (a virtual machine's speed swings by up to 2x within
minutes; single runs do not resolve 5%). --side-by-side runs each pair's two runs at the same time,
half the threads each, so that the machine's swings hit both alike, and compares the epochs between
the first and the last (while both certainly ran). --side-by-side --versus-pytorch does the same
for dropact against PyTorch: dropact's ReLU run beside PyTorch's ReLU run, dropact's Drop-Activation
beside PyTorch's best Drop-Activation, with each tool's rates and the paired ratios.

  bench/end-to-end/run.sh [--repeats 2] [--epochs 3] [--threads 2] [--nets simple-cnn,preresnet-20,wrn-16-4]
                          [--cifar-train 3200 --cifar-test 500] [--dropact-only | --side-by-side [--versus-pytorch]]

run.sh installs Debian's python3-torch (with OpenBLAS) when it is missing, builds dropact, and
writes the CIFAR-10 subset (640 train / 100 test images per class, decoded from the JPEG copy in
../shared/data) as CIFAR binary batches, the format both tools read.
"""
import argparse
import json
import math
import os
import shlex
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

NETS = {
    # name: (dataset, batch size, data root key)
    "simple-cnn": ("fashion-mnist", 128),
    "preresnet-20": ("cifar10", 64),
    "wrn-16-4": ("cifar10", 64),
}


def native_bf16():
    """Whether this CPU computes bfloat16 natively (AVX512_BF16 or AMX); autocast bf16 is ~24x slower without."""
    with open("/proc/cpuinfo") as f:
        flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    return "avx512_bf16" in flags or "amx_bf16" in flags


def cpu_model():
    with open("/proc/cpuinfo") as f:
        return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "unknown")


def pytorch_flags(mode):
    """fp32: NCHW fp32, as before; best: the best PyTorch user on this CPU: channels_last, and autocast bf16 where native."""
    return [] if mode == "fp32" else ["--channels-last"] + (["--bf16"] if native_bf16() else [])


def run(cmd, env=None):
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return result.stdout


def subset_args(dataset, args):
    """The same image counts for both tools: Fashion-MNIST always cut, CIFAR only when asked."""
    if dataset == "fashion-mnist":
        return ["--train-subset", str(args.fashion_train), "--test-subset", str(args.fashion_test)]
    out = []
    if args.cifar_train:
        out += ["--train-subset", str(args.cifar_train)]
    if args.cifar_test:
        out += ["--test-subset", str(args.cifar_test)]
    return out


def dropact_command(dropact, net, dataset, data, act, args, out, threads, flags=None):
    cmd = dropact + ["train", "--model", net, "--dataset", dataset, "--data", data, "--act", act,
                     "--epochs", str(args.epochs), "--batch-size", str(NETS[net][1]), "--lr", "0.05",
                     "--schedule", "constant", "--wd", "5e-4", "--momentum", "0.9", "--threads", str(threads),
                     "--seed", "0", "--out", out]
    if net.startswith("wrn"):
        cmd += ["--dropout", "0"]
    return cmd + subset_args(dataset, args) + (shlex.split(args.dropact_flags) if flags is None else flags)


def read_metrics(out):
    with open(os.path.join(out, "metrics.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def dropact_epochs(dropact, net, dataset, data, act, args, out, flags=None):
    run(dropact_command(dropact, net, dataset, data, act, args, out, args.threads, flags))
    return read_metrics(out)


def pytorch_command(net, dataset, data, act, args, threads):
    return [args.python, os.path.join(HERE, "pytorch_train.py"), "--model", net, "--dataset", dataset, "--data", data,
            "--act", act, "--epochs", str(args.epochs), "--batch-size", str(NETS[net][1]), "--lr", "0.05",
            "--threads", str(threads), "--workers", str(args.workers)] + subset_args(dataset, args) + pytorch_flags(args.pytorch_mode)


def side_by_side(dropact, net, dataset, data, args, tmp, first, second):
    """Two runs at the same time, half the threads each: whatever the machine does to one it does to
    the other. first and second are (tool, activation); returns each one's epochs."""
    threads = max(1, args.threads // 2)
    started = []
    for tool, act in (first, second):
        out = os.path.join(tmp, f"{tool}-{act}")
        if tool == "dropact":
            cmd = dropact_command(dropact, net, dataset, data, act, args, out, threads)
        else:
            cmd = pytorch_command(net, dataset, data, act, args, threads)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if tool == "pytorch" else subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        started.append((tool, proc, out, cmd))
    epochs = []
    for tool, proc, out, cmd in started:
        stdout, err = proc.communicate()
        if proc.returncode != 0:
            sys.stderr.write(err)
            raise SystemExit(f"failed: {' '.join(cmd)}")
        epochs.append(read_metrics(out) if tool == "dropact" else [json.loads(line) for line in stdout.splitlines() if line.startswith("{")])
    return epochs[0], epochs[1]


def overlapping_rates(epochs, train_images, test_images):
    """images/s of a side-by-side run while both runs certainly ran: the epochs between the first and
    the last (the first alone for the first epoch; evaluation of every epoch but the last)."""
    middle = epochs[1:-1]
    return {
        "train_images_per_s": statistics.median(train_images / e["train_seconds"] for e in middle),
        "first_epoch_images_per_s": train_images / epochs[0]["train_seconds"],
        "eval_images_per_s": statistics.median(test_images / e["test_seconds"] for e in epochs[:-1]),
    }


def pytorch_epochs(net, dataset, data, act, args):
    return [json.loads(line) for line in run(pytorch_command(net, dataset, data, act, args, args.threads)).splitlines()
            if line.startswith("{")]


def rates(epochs, train_images, test_images):
    """images/s: training epochs after the first, the first alone, evaluation (all epochs)."""
    later = [train_images / e["train_seconds"] for e in epochs[1:]]
    return {
        "train_images_per_s": statistics.median(later) if later else None,
        "first_epoch_images_per_s": train_images / epochs[0]["train_seconds"],
        "eval_images_per_s": statistics.median(test_images / e["test_seconds"] for e in epochs),
        "first_epoch_over_later": (epochs[0]["train_seconds"] / statistics.median(e["train_seconds"] for e in epochs[1:])) if later else None,
    }


# Two-sided 95% quantiles of Student's t, degrees of freedom 1-30 (beyond: 1.96).
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
       2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def paired_ratio(ratios):
    """Geometric mean of per-repeat ratios with the 95% t interval of the mean log-ratio."""
    logs = [math.log(r) for r in ratios]
    mean = statistics.fmean(logs)
    out = {"geometric_mean": round(math.exp(mean), 4), "per_repeat": [round(r, 4) for r in ratios]}
    if len(logs) >= 2:
        half = (T95[len(logs) - 2] if len(logs) - 1 <= len(T95) else 1.96) * statistics.stdev(logs) / math.sqrt(len(logs))
        out["ci95"] = [round(math.exp(mean - half), 4), round(math.exp(mean + half), 4)]
    return out


def dropact_modes(args):
    """dropact's modes to measure, label -> train flags: --dropact-modes "fp32=;cl=--channels-last" or, by default,
    --dropact-flags alone (label "flags") when given, else fp32, channels-last and (on a CPU with native bf16) both plus bf16."""
    if args.dropact_modes:
        pairs = [m.split("=", 1) for m in args.dropact_modes.split(";") if m.strip()]
        return {label.strip(): shlex.split(flags) for label, flags in pairs}
    if args.dropact_flags:
        return {"flags": shlex.split(args.dropact_flags)}
    modes = {"fp32": [], "channels-last": ["--channels-last"]}
    if native_bf16():
        modes["channels-last+bf16"] = ["--channels-last", "--precision", "bf16"]
    return modes


def machine(args):
    return {"cpu": cpu_model(), "native_bf16": native_bf16(), "pytorch_flags": pytorch_flags(args.pytorch_mode),
            "dropact_flags": shlex.split(args.dropact_flags)}


def check_parameters(dropact, net, dataset, data, args):
    """The zoo's parameter count (from dropact) and the PyTorch definition's must agree; returns it."""
    zoo = json.loads(run(dropact + ["models", net, "--json"]))[0]["parameters"]["10"]
    torch_count = json.loads(run([args.python, os.path.join(HERE, "pytorch_train.py"), "--model", net, "--dataset", dataset,
                                  "--data", data, "--count-only", "--train-subset", "100", "--test-subset", "100"]))["parameters"]
    if net == "simple-cnn":
        # 1x28x28 input: fc1 takes 128*3*3 instead of 128*4*4 of the zoo's 3x32x32 listing, conv1 1 channel instead of 3.
        zoo = zoo - 128 * 16 * 1000 + 128 * 9 * 1000 - 2 * 32 * 9
    if zoo != torch_count:
        raise SystemExit(f"{net}: parameter counts differ, zoo {zoo} vs PyTorch {torch_count}")
    return torch_count


def image_counts(epochs, dataset, args):
    train_images = epochs[0].get("train_images") or (args.fashion_train if dataset == "fashion-mnist" else args.cifar_train or 6400)
    test_images = epochs[0].get("test_images") or (args.fashion_test if dataset == "fashion-mnist" else args.cifar_test or 1000)
    return train_images, test_images


def versus_pytorch(dropact, args):
    """--side-by-side --versus-pytorch: dropact's ReLU run beside PyTorch's ReLU run, dropact's
    Drop-Activation beside PyTorch's best Drop-Activation, half the threads each, the two pairs in
    alternating order; rates over the middle epochs as in the Drop-Act pairs."""
    pairs = [(("dropact", "relu"), ("pytorch", "relu")), (("dropact", "dropact"), ("pytorch", "dropact-best"))]
    results, ratios = [], {}
    for net in args.nets.split(","):
        dataset, batch = NETS[net]
        data = args.fashion_data if dataset == "fashion-mnist" else args.cifar_data
        count = check_parameters(dropact, net, dataset, data, args)
        sys.stderr.write(f"[{net}] {count:,} parameters in both; {args.repeats} repeats of {args.epochs} epochs, side by side\n")
        measured = {run_: [] for pair in pairs for run_ in pair}
        for rep in range(args.repeats):
            for first, second in (pairs if rep % 2 == 0 else pairs[::-1]):
                with tempfile.TemporaryDirectory() as tmp:
                    a_epochs, b_epochs = side_by_side(dropact, net, dataset, data, args, tmp, first, second)
                for run_, epochs in ((first, a_epochs), (second, b_epochs)):
                    train_images, test_images = image_counts(epochs, dataset, args)
                    r = overlapping_rates(epochs, train_images, test_images)
                    r["first_epoch_over_later"] = epochs[0]["train_seconds"] / statistics.median(e["train_seconds"] for e in epochs[1:-1])
                    measured[run_].append(r)
                a, b = measured[first][-1], measured[second][-1]
                sys.stderr.write(f"  {rep + 1}/{args.repeats} {net}: dropact {first[1]} {a['train_images_per_s']:7.1f} img/s, "
                                 f"PyTorch {second[1]} {b['train_images_per_s']:7.1f} img/s, ratio {a['train_images_per_s'] / b['train_images_per_s']:.3f}\n")
        for (tool, act), runs in measured.items():
            row = {"net": net, "dataset": dataset, "batch_size": batch, "tool": tool, "activation": act, "parameters": count}
            for key in ("train_images_per_s", "first_epoch_images_per_s", "eval_images_per_s", "first_epoch_over_later"):
                values = [r[key] for r in runs]
                digits = 1 if "per_s" in key else 3
                row[key] = round(statistics.median(values), digits)
                row[key + "_range"] = [round(min(values), digits), round(max(values), digits)]
            results.append(row)
        ratios[net] = {}
        for (mine, theirs) in pairs:
            name = f"dropact_{mine[1]}_over_pytorch_{theirs[1]}"
            ratios[net][name] = {key: paired_ratio([m[key] / t[key] for m, t in zip(measured[mine], measured[theirs])])
                                 for key in ("train_images_per_s", "first_epoch_images_per_s", "eval_images_per_s")}
            sys.stderr.write(f"[{net}] {name}, training images/s: {ratios[net][name]['train_images_per_s']}\n")
        mine = [d["train_images_per_s"] / r["train_images_per_s"] for r, d in zip(measured[("dropact", "relu")], measured[("dropact", "dropact")])]
        ratios[net]["dropact_dropact_over_dropact_relu_unpaired"] = paired_ratio(mine)
    print(json.dumps({"mode": "side-by-side-versus-pytorch", **machine(args), "threads_per_run": max(1, args.threads // 2), "epochs": args.epochs,
                      "repeats": args.repeats, "workers": args.workers, "cifar_train": args.cifar_train or 6400,
                      "cifar_test": args.cifar_test or 1000, "results": results, "ratios": ratios}, indent=2))


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--nets", default="simple-cnn,preresnet-20,wrn-16-4")
    a.add_argument("--repeats", type=int, default=2)
    a.add_argument("--epochs", type=int, default=3)
    a.add_argument("--threads", type=int, default=2)
    a.add_argument("--workers", type=int, default=1, help="PyTorch DataLoader worker processes")
    a.add_argument("--fashion-data", required=True, help="folder holding fashion-mnist/")
    a.add_argument("--cifar-data", required=True, help="folder holding cifar10/cifar-10-batches-bin/")
    a.add_argument("--fashion-train", type=int, default=10000)
    a.add_argument("--fashion-test", type=int, default=2000)
    a.add_argument("--cifar-train", type=int, default=0, help="train on this many of the CIFAR images (0: all 6,400)")
    a.add_argument("--cifar-test", type=int, default=0, help="evaluate on this many of the CIFAR test images (0: all 1,000)")
    a.add_argument("--dropact", required=True, help="path of dropact.dll")
    a.add_argument("--python", default="/usr/bin/python3")
    a.add_argument("--pytorch-mode", choices=["best", "fp32"], default="best",
                   help="best: channels_last, plus autocast bf16 where the CPU has native bf16 (the default); fp32: NCHW fp32")
    a.add_argument("--dropact-flags", default="", help="extra dropact train options, e.g. '--channels-last --precision bf16'")
    a.add_argument("--dropact-modes", default="",
                   help="dropact modes to compare, 'label=flags;label=flags' (default: fp32, channels-last, and bf16 where native)")
    a.add_argument("--bernoulli", action="store_true", help="also PyTorch's Bernoulli-mask Drop-Activation (the authors' formulation)")
    a.add_argument("--dropact-only", action="store_true", help="only dropact's ReLU / Drop-Activation pairs, no PyTorch runs")
    a.add_argument("--side-by-side", action="store_true",
                   help="only dropact's pairs, each pair's ReLU and Drop-Act runs at the same time with half the threads each")
    a.add_argument("--versus-pytorch", action="store_true",
                   help="with --side-by-side: dropact's runs beside PyTorch's (ReLU beside ReLU, Drop-Act beside PyTorch's best Drop-Act)")
    args = a.parse_args()
    dropact = ["dotnet", args.dropact]
    sys.stderr.write(f"CPU: {cpu_model()}, native bf16: {native_bf16()}; PyTorch flags {pytorch_flags(args.pytorch_mode)}, "
                     f"dropact flags {shlex.split(args.dropact_flags)}\n")
    if args.versus_pytorch and not args.side_by_side:
        raise SystemExit("--versus-pytorch goes with --side-by-side")
    if args.side_by_side and args.epochs < 3:
        raise SystemExit("--side-by-side needs --epochs 3 or more (the first and last epochs are not compared)")
    if args.versus_pytorch:
        versus_pytorch(dropact, args)
        return

    if args.side_by_side:
        side = {}
        for net in args.nets.split(","):
            dataset, _ = NETS[net]
            data = args.fashion_data if dataset == "fashion-mnist" else args.cifar_data
            pairs, growth = [], []
            for rep in range(args.repeats):
                with tempfile.TemporaryDirectory() as tmp:
                    relu, da = side_by_side(dropact, net, dataset, data, args, tmp, ("dropact", "relu"), ("dropact", "dropact"))
                train_images, test_images = image_counts(relu, dataset, args)
                r, d = overlapping_rates(relu, train_images, test_images), overlapping_rates(da, train_images, test_images)
                pairs.append((r, d))
                growth += [relu, da]
                sys.stderr.write(f"  {rep + 1}/{args.repeats} {net}: ReLU {r['train_images_per_s']:7.1f} img/s, "
                                 f"Drop-Act {d['train_images_per_s']:7.1f} img/s, ratio {d['train_images_per_s'] / r['train_images_per_s']:.3f}\n")
            side[net] = {key: paired_ratio([d[key] / r[key] for r, d in pairs])
                         for key in ("train_images_per_s", "first_epoch_images_per_s", "eval_images_per_s")}
            side[net]["relu_train_images_per_s"] = round(statistics.median(r["train_images_per_s"] for r, _ in pairs), 1)
            # Resident memory after the last epoch over after the first, each run (ReLU and Drop-Act).
            side[net]["rss_mib_first_epoch"] = [round(e[0]["rss_mib"]) for e in growth]
            side[net]["rss_growth_first_to_last"] = [round(e[-1]["rss_mib"] / e[0]["rss_mib"] - 1, 4) for e in growth]
            # Warm-up: each run's first epoch over the median of its middle epochs (ReLU, Drop-Act, ReLU, ...).
            side[net]["first_epoch_over_later"] = [round(e[0]["train_seconds"] / statistics.median(x["train_seconds"] for x in e[1:-1]), 3)
                                                   for e in growth]
            sys.stderr.write(f"[{net}] side by side, Drop-Act / ReLU training images/s: {side[net]['train_images_per_s']}\n")
        print(json.dumps({"mode": "side-by-side", **machine(args), "threads_per_run": max(1, args.threads // 2), "epochs": args.epochs,
                          "repeats": args.repeats, "cifar_train": args.cifar_train or 6400, "cifar_test": args.cifar_test or 1000,
                          "dropact_dropact_over_relu": side}, indent=2))
        return

    results = []
    ratios = {}
    for net in args.nets.split(","):
        dataset, batch = NETS[net]
        data = args.fashion_data if dataset == "fashion-mnist" else args.cifar_data
        torch_count = check_parameters(dropact, net, dataset, data, args)
        sys.stderr.write(f"[{net}] {torch_count:,} parameters in both; {args.repeats} repeats of {args.epochs} epochs\n")
        # dropact in each of its modes (label: train flags), ReLU and Drop-Act; PyTorch in its mode (--pytorch-mode).
        modes = dropact_modes(args)
        pair = [("dropact", act, label) for label in modes for act in ("relu", "dropact")]
        pt = "best" if args.pytorch_mode == "best" else "fp32"
        others = [] if args.dropact_only else [("pytorch", "relu", pt), ("pytorch", "dropact-best", pt)] + \
            ([("pytorch", "dropact-bernoulli", pt)] if args.bernoulli else [])
        measured = {v: [] for v in pair + others}
        for rep in range(args.repeats):
            # Every run once per repeat, in alternating order: each repeat pairs all of them.
            for tool, act, mode in (pair if rep % 2 == 0 else pair[::-1]) + others:
                with tempfile.TemporaryDirectory() as tmp:
                    if tool == "dropact":
                        epochs = dropact_epochs(dropact, net, dataset, data, act, args, os.path.join(tmp, "run"), modes[mode])
                    else:
                        epochs = pytorch_epochs(net, dataset, data, act, args)
                train_images, test_images = image_counts(epochs, dataset, args)
                r = rates(epochs, train_images, test_images)
                measured[(tool, act, mode)].append(r)
                sys.stderr.write(f"  {rep + 1}/{args.repeats} {tool:8} {act:18} {mode:20} train {r['train_images_per_s']:8.1f} img/s, "
                                 f"first epoch {r['first_epoch_images_per_s']:8.1f}, eval {r['eval_images_per_s']:8.1f}\n")
        for (tool, act, mode), runs in measured.items():
            row = {"net": net, "dataset": dataset, "batch_size": batch, "tool": tool, "activation": act, "mode": mode, "parameters": torch_count}
            for key in ("train_images_per_s", "first_epoch_images_per_s", "eval_images_per_s", "first_epoch_over_later"):
                values = [r[key] for r in runs if r[key] is not None]
                row[key] = round(statistics.median(values), 1 if "per_s" in key else 3)
                row[key + "_range"] = [round(min(values), 1 if "per_s" in key else 3), round(max(values), 1 if "per_s" in key else 3)]
            results.append(row)
        ratios[net] = {}
        keys = ("train_images_per_s", "first_epoch_images_per_s", "eval_images_per_s")
        def paired(a, b):
            return {key: paired_ratio([x[key] / y[key] for x, y in zip(measured[a], measured[b])]) for key in keys}
        first = next(iter(modes))
        for mode in modes:
            ratios[net][f"dropact_{mode}: dropact/relu"] = paired(("dropact", "dropact", mode), ("dropact", "relu", mode))
            for act in ("relu", "dropact"):
                if mode != first:
                    ratios[net][f"dropact_{mode} over dropact_{first}: {act}"] = paired(("dropact", act, mode), ("dropact", act, first))
                if not args.dropact_only:
                    theirs = "relu" if act == "relu" else "dropact-best"
                    ratios[net][f"dropact_{mode} over pytorch_{pt}: {act}"] = paired(("dropact", act, mode), ("pytorch", theirs, pt))
        for name, r in ratios[net].items():
            sys.stderr.write(f"[{net}] {name}, training images/s: {r['train_images_per_s']}\n")
    print(json.dumps({**machine(args), "threads": args.threads, "epochs": args.epochs, "repeats": args.repeats, "workers": args.workers,
                      "cifar_train": args.cifar_train or 6400, "cifar_test": args.cifar_test or 1000,
                      "results": results, "ratios": ratios, "dropact_modes": dropact_modes(args)}, indent=2))


if __name__ == "__main__":
    main()
