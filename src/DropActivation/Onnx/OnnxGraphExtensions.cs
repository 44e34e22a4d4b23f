namespace DropActivation.Onnx;

/// <summary>The few composite operations the modules' exports share, written with <see cref="IOnnxGraph.Node"/>.</summary>
public static class OnnxGraphExtensions
{
    /// <summary>Element-wise a + b (with broadcasting).</summary>
    public static string Add(this IOnnxGraph graph, string a, string b) => graph.Node("Add", new[] { a, b });

    /// <summary>Element-wise a · b (with broadcasting).</summary>
    public static string Mul(this IOnnxGraph graph, string a, string b) => graph.Node("Mul", new[] { a, b });

    /// <summary>Concatenation along <paramref name="axis"/> (torch.cat).</summary>
    public static string Concat(this IOnnxGraph graph, long axis, params string[] inputs) =>
        graph.Node("Concat", inputs, OnnxAttribute.Int("axis", axis));

    /// <summary>Flattens every dimension from <paramref name="axis"/> on into one (torch's <c>x.flatten(axis)</c>), leaving a 2-D tensor.</summary>
    public static string Flatten(this IOnnxGraph graph, string input, long axis = 1) =>
        graph.Node("Flatten", new[] { input }, OnnxAttribute.Int("axis", axis));

    /// <summary>x · c for a float constant c.</summary>
    public static string Scale(this IOnnxGraph graph, string input, double factor, string name) =>
        graph.Mul(input, graph.Constant(name, Array.Empty<long>(), new[] { (float)factor }));

    /// <summary>
    /// The averaged activation (1 − p)·x + p·f(x), Drop-Activation's evaluation form: f for p = 1,
    /// the identity for p = 0, LeakyRelu with slope 1 − p for ReLU.
    /// </summary>
    public static string AveragedActivation(this IOnnxGraph graph, string input, Activations.ElementwiseActivation f, double p)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (p == 1.0) return f.ExportOnnx(graph, input);
        if (p == 0.0) return graph.Node("Identity", new[] { input });
        if (f.IsReLU) return graph.Node("LeakyRelu", new[] { input }, OnnxAttribute.Float("alpha", 1.0 - p));
        var kept = graph.Scale(f.ExportOnnx(graph, input), p, "p");
        var passed = graph.Scale(input, 1.0 - p, "one_minus_p");
        return graph.Add(passed, kept);
    }
}
