using System.Security.Cryptography;
using System.Text;
using DropActivation.Sweeps.Specs;

namespace DropActivation.Sweeps.Planning;

/// <summary>
/// One run of a sweep: a point of the grid, its stable id (<c>model_dataset_act[_pP]_sSEED</c>), its
/// folder (<c>SWEEP_ROOT/ID</c>) and the <c>dropact train</c> arguments that produce it.
/// </summary>
/// <param name="Index">Position in the plan (0-based); the Slurm array index.</param>
/// <param name="Id">Stable id: the same grid point always has the same id, whatever else the spec lists.</param>
/// <param name="Model">Zoo model name.</param>
/// <param name="Dataset">Data set name.</param>
/// <param name="Activation">Activation name.</param>
/// <param name="P">Keep probability, or null when the spec gives none or the activation is not a Drop-Activation.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Preset">Preset name, or null.</param>
/// <param name="Overrides">Train options shared by the sweep.</param>
/// <param name="Folder">Absolute run folder (train's --out).</param>
public sealed record SweepRun(
    int Index, string Id, string Model, string Dataset, string Activation, double? P, long Seed, string? Preset,
    IReadOnlyList<TrainOverride> Overrides, string Folder)
{
    /// <summary>
    /// A short hash of everything that decides the run's result (model, data set, activation, p, seed, preset,
    /// overrides; not the data or output paths). A run folder made with another fingerprint is a conflict,
    /// never silently mixed into the sweep.
    /// </summary>
    public string Fingerprint
    {
        get
        {
            var text = string.Join('\n', DefiningArguments());
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
            return Convert.ToHexStringLower(hash)[..12];
        }
    }

    /// <summary>The arguments of a fresh <c>dropact train</c> for this run (starting with "train").</summary>
    public IReadOnlyList<string> TrainArguments(string dataRoot)
    {
        var args = new List<string> { "train" };
        args.AddRange(DefiningArguments());
        args.AddRange(["--data", dataRoot, "--out", Folder]);
        return args;
    }

    /// <summary>The arguments that continue this run from the checkpoint in its folder.</summary>
    public IReadOnlyList<string> ResumeArguments(string dataRoot) => ["train", "--resume", Folder, "--data", dataRoot];

    private IEnumerable<string> DefiningArguments()
    {
        yield return "--model"; yield return Model;
        yield return "--dataset"; yield return Dataset;
        yield return "--act"; yield return Activation;
        if (P is { } p) { yield return "--p"; yield return Format.P(p); }
        if (Preset is not null) { yield return "--preset"; yield return Preset; }
        yield return "--seed"; yield return Format.Int(Seed);
        foreach (var o in Overrides)
            foreach (var t in o.Tokens) yield return t;
    }
}
