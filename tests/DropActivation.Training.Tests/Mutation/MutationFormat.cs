namespace DropActivation.Training.Tests.Mutation;

/// <summary>
/// One file format under mutation: the file's name in a fresh case folder, its valid bytes, the header fields worth
/// setting to absurd values, what turns the mutated bytes into the file (e.g. gzip them: the mutation then lands
/// inside the compression), and the reader's call on the file.
/// </summary>
internal sealed record MutationFormat(string Name, string File, Func<byte[]> Valid, Func<byte[], IEnumerable<Field>> Fields, Action<string> Read,
    Func<byte[], byte[]>? Wrap = null)
{
    public override string ToString() => Name;
}
