
namespace DropActivation.Analysis.Theory;

/// <summary>Settings of <c>dropact theory</c>.</summary>
/// <param name="P">The p of the headline Property 1 check.</param>
/// <param name="Seed">Base seed.</param>
/// <param name="VarianceSamples">Monte-Carlo samples per p for Property 2.</param>
/// <param name="PenaltyDraws">Monte-Carlo mask draws for Property 1.</param>
/// <param name="PenaltyGrid">The p values of the Property 1 figure.</param>
public sealed record TheoryOptions(double P = DA.DefaultP, long Seed = 1, long VarianceSamples = 2_000_000, int PenaltyDraws = 40_000,
    IReadOnlyList<double>? PenaltyGrid = null)
{
    /// <summary>p values of the Property 1 figure in effect (0.60 … 0.95 plus <see cref="P"/>).</summary>
    public IReadOnlyList<double> PenaltyPs =>
        (PenaltyGrid ?? new[] { 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95 }).Append(P).Where(p => p > 0 && p < 1).Distinct().Order().ToArray();
}

/// <summary>Everything <c>dropact theory</c> computes.</summary>
/// <param name="VarianceShift">Property 2 over p = 0.60 … 1.00.</param>
/// <param name="Penalty">Property 1 at p for a random network (3 outputs, 32 hidden units).</param>
/// <param name="PenaltyOrthonormal">Property 1 at p with orthonormal W2 columns, where the printed formula is exact.</param>
/// <param name="PenaltySweep">Property 1 over <see cref="TheoryOptions.PenaltyPs"/> for the random network.</param>
public sealed record TheoryResult(TheoryOptions Options, VarianceShiftResult VarianceShift, ImplicitPenaltyResult Penalty,
    ImplicitPenaltyResult PenaltyOrthonormal, IReadOnlyList<ImplicitPenaltyResult> PenaltySweep, TimeSpan Elapsed);

/// <summary>Runs the checks of Section 4 (Properties 1 and 2); <see cref="TheoryPlot"/> draws their figures.</summary>
public static class TheoryAnalysis
{
    public static TheoryResult Run(TheoryOptions? options = null, IProgress<AnalysisProgress>? progress = null)
    {
        options ??= new TheoryOptions();
        DA.CheckP(options.P);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ps = options.PenaltyPs;
        int steps = 3 + ps.Count, done = 0;
        void Step(string what) => progress?.Report(new AnalysisProgress("theory", (double)++done / steps, what));

        var vs = VarianceShift.Run(new VarianceShiftOptions(Samples: options.VarianceSamples, Seed: options.Seed));
        Step("Property 2");
        var penaltyBase = new ImplicitPenaltyOptions(P: options.P, Draws: options.PenaltyDraws, Seed: options.Seed);
        var main = ImplicitPenalty.Run(penaltyBase);
        Step("Property 1");
        var ortho = ImplicitPenalty.Run(penaltyBase with { OutputDim = 40, OrthonormalOutput = true });
        Step("Property 1, orthonormal W2");
        var sweep = new List<ImplicitPenaltyResult>();
        foreach (var p in ps)
        {
            sweep.Add(p == options.P ? main : ImplicitPenalty.Run(penaltyBase with { P = p }));
            Step(FormattableString.Invariant($"Property 1, p={p:0.00}"));
        }
        return new TheoryResult(options, vs, main, ortho, sweep, clock.Elapsed);
    }
}
