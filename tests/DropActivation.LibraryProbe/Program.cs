using System.Collections;
using System.Text.Json;
using DropActivation;
using DropActivation.Runtime;
using TorchSharp;

// What a program that only uses the layer finds changed in its process: torch's threads, the
// environment and whether glibc keeps a freed 16 MiB block, before the library is used, after a
// Drop-Activation forward and backward, and after ProcessSettings.Apply(threads: one more).
static Dictionary<string, object?> State(bool malloc) => new()
{
    ["threads"] = torch.get_num_threads(),
    ["environment"] = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .Select(e => $"{e.Key}={e.Value}").Order(StringComparer.Ordinal).ToArray(),
    ["freed_block_kept"] = malloc ? FreedMemory.FreedBlocksStayInTheHeap() : null,
};

var before = State(malloc: false);
using (var scope = torch.NewDisposeScope())
{
    var x = torch.randn(64, 64, requires_grad: true);
    DA.DropAct(p: 0.95).call(x).sum().backward();
}
var used = State(malloc: true);
ProcessSettings.Apply(threads: (int)before["threads"]! + 1);
var applied = State(malloc: true);
Console.WriteLine(JsonSerializer.Serialize(new { before, used, applied }));
