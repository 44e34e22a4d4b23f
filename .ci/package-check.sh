#!/usr/bin/env bash
# Packaging check (issue 16), run by .ci/run after the tests: packs every shipped project, then, in a temporary
# folder outside the repository, (1) checks what the packages hold, (2) builds and runs a new console project that
# uses the DropActivation package from that folder (plus libtorch-cpu-linux-x64 and TorchVision) the way a user
# would, and (3) installs the dropact tool into a temporary tool path and runs `dropact --version` and
# `dropact demo --quick`. Each of the three is one result in the TRX file given as $1, so the outcome counts in
# the "N passed, N failed" line. Exit status: 0 when all three pass.
#
# Nothing lands in the user's NuGet cache: the packages get a unique prerelease version and are restored into
# folders under the temporary folder; TorchSharp, libtorch and TorchVision come from the user's cache (as a
# fallback folder) or nuget.org.
set -uo pipefail
cd "$(dirname "$0")/.."
trx="${1:?usage: .ci/package-check.sh RESULT.trx}"
work="$(mktemp -d /tmp/dropact-package-check.XXXXXX)"
trap 'rm -rf "$work"' EXIT
base="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)"
version="${base}-ci.$(date -u +%Y%m%d%H%M%S)"
packages="$work/packages"
python="$(command -v python3 || echo /usr/bin/python3)"
# shellcheck source=.ci/trx.sh
. .ci/trx.sh
record() { trx_record "packaging: $1" "$2" "$3"; }

zip_list() { "$python" -m zipfile -l "$1" | awk 'NR > 1 { print $1 }'; }
zip_read() { "$python" -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$1" "$2"; }

# ---- 1. pack, and what the packages hold ---------------------------------------------------------------------------
check_pack() {
    local start=$SECONDS
    if ! dotnet pack DropActivation.slnx -c Release -p:Version="$version" -o "$packages" >"$work/pack.log" 2>&1; then
        tail -n 30 "$work/pack.log" >&2
        record "pack" Failed "dotnet pack failed (log above)"; return 1
    fi
    local problems=() id nupkg files nuspec
    for id in DropActivation DropActivation.Models DropActivation.Data DropActivation.Training; do
        nupkg="$packages/$id.$version.nupkg"
        if [ ! -f "$nupkg" ]; then problems+=("$id.$version.nupkg missing"); continue; fi
        files="$(zip_list "$nupkg")"
        for f in "lib/net10.0/$id.dll" "lib/net10.0/$id.xml" README.md LICENSE; do
            grep -qx "$f" <<<"$files" || problems+=("$id: no $f")
        done
        nuspec="$(zip_read "$nupkg" "$id.nuspec")"
        grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || problems+=("$id: no licence in the nuspec")
        grep -q '<repository type="git"' <<<"$nuspec" || problems+=("$id: no repository in the nuspec")
        grep -q '<readme>README.md</readme>' <<<"$nuspec" || problems+=("$id: no readme in the nuspec")
        grep -q "<version>$version</version>" <<<"$nuspec" || problems+=("$id: version is not $version")
        grep -q 'id="libtorch-' <<<"$nuspec" && problems+=("$id: depends on a libtorch package (the user's choice)")
    done
    files="$(zip_list "$packages/DropActivation.$version.nupkg" 2>/dev/null)"
    for f in runtimes/linux-x64/native/libdropact_native.so buildTransitive/DropActivation.targets build/DropActivation.targets; do
        grep -qx "$f" <<<"$files" || problems+=("DropActivation: no $f")
    done
    [ -f "$packages/dropact.$version.nupkg" ] || problems+=("dropact.$version.nupkg (the tool) missing")
    if [ ${#problems[@]} -gt 0 ]; then
        record "pack" Failed "$(IFS=';'; echo "${problems[*]}")"; return 1
    fi
    record "pack" Passed "5 packages, version $version, in $((SECONDS - start)) s; the tool: $(du -m "$packages/dropact.$version.nupkg" | cut -f1) MB"
}

# ---- 2. a user's console project on the DropActivation package ------------------------------------------------------
check_consumer() {
    local dir="$work/consumer" start=$SECONDS
    mkdir -p "$dir"
    cat >"$dir/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="dropact-local" value="$packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="user-cache" value="${NUGET_PACKAGES:-$HOME/.nuget/packages}" />
  </fallbackPackageFolders>
  <config>
    <add key="globalPackagesFolder" value="$work/consumer-packages" />
  </config>
</configuration>
XML
    cat >"$dir/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
    <SelfContained>false</SelfContained>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="DropActivation" Version="$version" />
    <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
    <PackageReference Include="TorchVision" Version="0.107.0" />
  </ItemGroup>
</Project>
XML
    cat >"$dir/Program.cs" <<'CS'
using DropActivation;
using DropActivation.Surgery;
using TorchSharp;

torch.manual_seed(1);
var failures = new List<string>();

// The layer on its own: positives pass, a negative stays itself (identity) with probability 1 - p = 0.05.
var layer = DA.DropAct(0.95);
layer.train();
using var x = torch.randn(200_000);
using var y = layer.call(x);
using var negative = x.lt(0);
double identity = y.eq(x).logical_and(negative).sum().item<long>() / (double)negative.sum().item<long>();
if (!y.masked_select(x.ge(0)).eq(x.masked_select(x.ge(0))).all().item<bool>()) failures.Add("positives changed");
if (Math.Abs(identity - 0.05) > 0.005) failures.Add($"identity share {identity:F4}, expected 0.05");

// Surgery on TorchVision's ResNet-50, as a new user would write it: every ReLU module becomes Drop-Activation,
// and the same call protects its strided 1×1 shortcuts (oneDNN's backward for them kills the process on AVX-512
// CPUs without AMX). One training step at batch 2, 224×224, with no hand-written swap.
var model = torchvision.models.resnet50(num_classes: 10);
int relus = model.modules().Count(m => m is TorchSharp.Modules.ReLU);
var report = model.UseDropActivation(0.95);
if (relus == 0 || report.Count != relus) failures.Add($"replaced {report.Count} of {relus} ReLU modules");
if (report.ProtectedConvolutions.Count != 3) failures.Add($"protected {report.ProtectedConvolutions.Count} strided 1×1 convolutions, expected 3");
model.train();
using var batch = torch.randn(2, 3, 224, 224);
using var output = model.call(batch);
if (!output.shape.SequenceEqual(new long[] { 2, 10 })) failures.Add($"output shape [{string.Join(", ", output.shape)}]");
using (var loss = torch.nn.functional.cross_entropy(output, torch.tensor(new long[] { 1, 2 }))) loss.backward();
if (model.parameters().Any(p => p.grad is null)) failures.Add("a parameter got no gradient");
using var input = torch.randn(2, 3, 64, 64);

// Folded for deployment: deterministic.
model.Fold();
model.eval();
using var a = model.call(input);
using var b = model.call(input);
if (!a.eq(b).all().item<bool>()) failures.Add("the folded model is not deterministic");

Console.WriteLine($"drop-activation identity share {identity:F4}; replaced {report.Count} of {relus} ReLUs and {report.ProtectedConvolutions.Count} strided 1×1 convolutions in resnet50, one training step; output [{string.Join(", ", output.shape)}]; native kernel {DA.NativeKernelAvailable}");
if (failures.Count > 0) { Console.WriteLine("consumer FAILED: " + string.Join("; ", failures)); return 1; }
Console.WriteLine("consumer ok");
return 0;
CS
    if ! (cd "$dir" && dotnet build -c Release >"$work/consumer-build.log" 2>&1); then
        tail -n 30 "$work/consumer-build.log" >&2
        record "consumer" Failed "the console project on the DropActivation package did not build (log above)"; return 1
    fi
    local out
    # libtorch warns "Could not initialize NNPACK! Reason: Unsupported hardware." once per convolution on CPUs
    # NNPACK does not know (about 150 lines for ResNet-50); they are dropped so CI's tail stays readable.
    out="$(cd "$dir" && dotnet run -c Release --no-build 2>&1 | grep -v 'Could not initialize NNPACK')"
    echo "$out"
    if ! grep -qx "consumer ok" <<<"$out"; then
        record "consumer" Failed "the console project did not run correctly: $(tail -n 3 <<<"$out" | tr '\n' ' ')"; return 1
    fi
    # The package's native kernel reached the user's application (it was packed: gcc built it here).
    if ! grep -q "native kernel True" <<<"$out"; then
        record "consumer" Failed "the native kernel from runtimes/linux-x64/native did not load in the console project"; return 1
    fi
    record "consumer" Passed "$(head -n 1 <<<"$out") ($((SECONDS - start)) s with restore and build)"
}

# ---- 3. the dropact tool -----------------------------------------------------------------------------------------
check_tool() {
    local tools="$work/tools" out start=$SECONDS demo_start
    if ! NUGET_PACKAGES="$work/tool-packages" dotnet tool install --tool-path "$tools" --add-source "$packages" \
            --version "$version" dropact >"$work/tool.log" 2>&1; then
        tail -n 20 "$work/tool.log" >&2
        record "tool" Failed "dotnet tool install failed (log above)"; return 1
    fi
    out="$("$tools/dropact" --version 2>&1)"
    if [ "$out" != "$version" ]; then
        record "tool" Failed "dropact --version printed '$out', expected $version"; return 1
    fi
    demo_start=$SECONDS
    if ! (cd "$work" && "$tools/dropact" demo --quick --out "$work/demo" >"$work/demo.log" 2>&1); then
        tail -n 20 "$work/demo.log" >&2
        record "tool" Failed "dropact demo --quick failed (log above)"; return 1
    fi
    if [ ! -s "$work/demo/report.md" ]; then
        record "tool" Failed "dropact demo --quick wrote no report.md"; return 1
    fi
    record "tool" Passed "dropact $version installed ($(du -sm "$tools" | cut -f1) MB) and run in $((SECONDS - start)) s; demo --quick: $((SECONDS - demo_start)) s, wrote report.md"
}

if check_pack; then
    check_consumer
    check_tool
else
    record "consumer" Failed "not run: packing failed"
    record "tool" Failed "not run: packing failed"
fi

# ---- the results, as a TRX file that .ci/run's summary counts ---------------------------------------------------------
trx_write "$trx" "packaging check"
