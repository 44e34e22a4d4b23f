using System.Text.Json;
using DropActivation.Models.Registry;
using DropActivation.Sweeps.Specs;

namespace DropActivation.Cli.Tests;

public class ZooAndDataCommandTests
{
    [Fact]
    public void Models_json_gives_exact_parameter_counts()
    {
        var (exit, output, _) = CliRunner.Run("models", "resnet110", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        using var doc = JsonDocument.Parse(output);
        var row = doc.RootElement.EnumerateArray().Single();
        Assert.Equal("resnet110", row.GetProperty("name").GetString());
        Assert.Contains("1730714", row.GetProperty("parameters").GetRawText().Replace(",", "").Replace(" ", ""));
    }

    [Fact]
    public void Models_with_an_unknown_name_is_a_usage_error_listing_the_valid_ones()
    {
        var (exit, _, error) = CliRunner.Run("models", "resnet9000x");
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains("resnet9000x", error);
        Assert.Contains("wrn-28-10", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Models_filter_keeps_the_names_that_match_the_glob()
    {
        var (exit, output, _) = CliRunner.Run("models", "--filter", "WRN*", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(new[] { "wrn-28-10", "wrn-16-8" }, doc.RootElement.EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }

    [Fact]
    public void Train_help_lists_every_activation_and_sweeps_give_p_to_the_same_ones()
    {
        var (exit, output, _) = CliRunner.Run("train", "--help");
        Assert.Equal(ExitCodes.Success, exit);
        foreach (var a in ActivationFactory.All)
        {
            Assert.Contains(a.Name, output);
            Assert.Equal(a.TakesP, SweepSpecReader.IsDropActivation(a.Name));
        }
    }

    [Fact]
    public void Data_list_json_names_the_papers_data_sets()
    {
        var (exit, output, _) = CliRunner.Run("data", "list", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        foreach (var name in new[] { "mnist", "fashion-mnist", "emnist-balanced", "cifar10", "cifar100", "svhn", "digits", "imagenet" })
            Assert.Contains($"\"{name}\"", output);
    }

    [Fact]
    public void Data_inspect_on_a_missing_root_is_one_clear_runtime_error()
    {
        var missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dropact-no-such-root-" + Guid.NewGuid().ToString("N"));
        foreach (var option in new[] { "--root", "--data" }) // --data as in train is the same option
        {
            var (exit, _, error) = CliRunner.Run("data", "inspect", "mnist", option, missing);
            Assert.Equal(ExitCodes.RuntimeError, exit);
            Assert.Contains(missing, error);
            Assert.DoesNotContain("   at ", error);
        }
    }

    [RealDataFact("mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz")]
    public void Data_inspect_reports_real_mnist_counts_and_writes_a_contact_sheet()
    {
        var sheet = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dropact-sheet-{Guid.NewGuid():N}.png");
        try
        {
            var (exit, output, error) = CliRunner.Run("data", "inspect", "mnist", "--root", RealData.Root, "--split", "test", "--json", "--sheet", sheet);
            Assert.True(exit == ExitCodes.Success, error);
            Assert.Contains("10000", output);
            var bytes = File.ReadAllBytes(sheet);
            Assert.True(bytes.Length > 1000);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        }
        finally
        {
            File.Delete(sheet);
        }
    }
}
