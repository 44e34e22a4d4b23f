using DropActivation.Kernels;

namespace DropActivation.Tests;

public class GeometricGapsTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.95)]
    [InlineData(0.999)]
    public void Gaps_follow_the_geometric_distribution(double p)
    {
        const int n = 400_000;
        var gaps = GeometricGaps.For(p);
        var rng = new GeometricGaps.Stream(2024, 7);
        var counts = new Dictionary<long, long>();
        double sum = 0;
        long previous = -1, bothShort = 0, pairs = 0, median = (long)Math.Floor(Math.Log(0.5) / Math.Log(p));
        for (int i = 0; i < n; i++)
        {
            long g = gaps.Next(ref rng);
            Assert.True(g >= 0);
            sum += g;
            counts[g] = counts.GetValueOrDefault(g) + 1;
            // Neighbouring gaps share a 64-bit word (16 bits each): they must still be independent.
            // Disjoint pairs (gaps 2j and 2j+1), so the pair counts are binomial.
            if (i % 2 == 1) { pairs++; if (previous <= median && g <= median) bothShort++; }
            previous = g;
        }
        double shortP = 1 - Math.Pow(p, median + 1);
        Stats.FrequencyWithin((double)bothShort / pairs, shortP * shortP, pairs, 4, $"P(G_i <= {median}, G_i+1 <= {median}) at p={p}");
        double q = 1 - p;
        // P(G = k) = p^k q for the first few k: each frequency within 4σ.
        for (int k = 0; k < 5; k++)
            Stats.FrequencyWithin((double)counts.GetValueOrDefault(k) / n, Math.Pow(p, k) * q, n, 4, $"P(G={k}) at p={p}");
        // Mean p/q, standard deviation sqrt(p)/q: the sample mean within 4 standard errors.
        double mean = sum / n, expected = p / q, se = Math.Sqrt(p) / q / Math.Sqrt(n);
        Assert.True(Math.Abs(mean - expected) <= 4 * se, $"mean gap {mean}, expected {expected} ± {4 * se}");
        // The tail beyond the table (memoryless restart) is reached and keeps the right weight:
        // P(G >= 12/q) = p^(12/q).
        long tailStart = (long)Math.Ceiling(12 / q);
        double tail = counts.Where(kv => kv.Key >= tailStart).Sum(kv => kv.Value) / (double)n;
        double expectedTail = Math.Pow(p, tailStart);
        Assert.True(Math.Abs(tail - expectedTail) <= 4 * Math.Sqrt(expectedTail * (1 - expectedTail) / n) + 1.0 / n,
            $"tail frequency {tail}, expected {expectedTail}");
    }
}
