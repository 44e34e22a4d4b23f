namespace DropActivation.Sweeps.Running;

/// <summary>POSIX shell quoting for generated scripts and printed command lines.</summary>
public static class ShellQuote
{
    /// <summary><paramref name="s"/> as one shell word: unchanged when it is plainly safe, else in single quotes.</summary>
    public static string Quote(string s)
    {
        if (s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@%".Contains(c))) return s;
        return "'" + s.Replace("'", "'\\''") + "'";
    }

    /// <summary>The words joined as a shell command line.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
