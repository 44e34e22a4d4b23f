using System.Globalization;
using System.Text.RegularExpressions;
using DropActivation.Models.Registry;
using DropActivation.Surgery;
using DropActivation.Training.Checkpoints;
using DropActivation.Training.Interop;
using DropActivation.Training;

namespace DropActivation.Cli.Commands.Export;

/// <summary>
/// <c>dropact export --format pytorch|safetensors</c>: rebuilds the checkpoint's model, folds its random activations
/// into their test-time form and writes the state dict under the reference implementation's key names; prints what
/// PyTorch definition it loads into.
/// </summary>
internal static partial class PyTorchExport
{
    public static void Run(string checkpointPath, WeightFormat format, string outPath, TextWriter output)
    {
        using var ckpt = CheckpointFile.Load(checkpointPath);
        var h = ckpt.Header;
        using var model = ModelFactory.Create(h.Options, h.NumClasses, h.InChannels, h.ImageSize);
        Trainer.LoadModelState(model, ckpt.Model, checkpointPath);
        // Folding swaps modules only: the weights are the same, and the model is what PyTorch will run.
        var folded = model.Fold();
        int tensors = PyTorchWeights.Save(model, outPath, format);
        var info = ModelRegistry.Describe(h.Options.Model);
        output.WriteLine($"wrote {outPath}: {tensors} tensors of {h.Options.Model} ({h.NumClasses} classes, {h.InChannels}×{h.ImageSize}×{h.ImageSize} inputs) " +
                         $"after epoch {h.Epoch}, {(format == WeightFormat.PyTorch ? "PyTorch state dict" : "safetensors")}");
        output.WriteLine($"key names as in: {info.Reference}");
        output.WriteLine($"activation in PyTorch: {TestTimeActivation(folded)}");
    }

    /// <summary>The activation a PyTorch definition of the exported model needs, from what folding put in place.</summary>
    private static string TestTimeActivation(SurgeryReport folded)
    {
        var forms = folded.Replacements.Select(r => Slope().Replace(r.After, m =>
            "negative_slope=" + double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture).ToString("0.######", CultureInfo.InvariantCulture))).Distinct().ToList();
        return forms.Count switch
        {
            0 => "as in the reference (no Drop-Activation or RReLU layer)",
            1 => $"{forms[0]} in place of ReLU at the {folded.Count} folded positions (the test-time form)",
            _ => $"the test-time forms {string.Join(", ", forms)} at the {folded.Count} folded positions",
        };
    }

    /// <summary>A slope as the surgery report writes it (1 − 0.95 = 0.050000000000000044), shown rounded.</summary>
    [GeneratedRegex(@"negative_slope=([0-9.eE+-]+)")] private static partial Regex Slope();
}
