namespace DropActivation.Training.Tests;

/// <summary>
/// The reference key names of every family (written out here from the reference implementations' definitions) and
/// the loading rules: exact round trips through both formats, one error naming every misfit, nothing copied then.
/// </summary>
public class PyTorchWeightsTests
{
    private static IReadOnlyCollection<string> Keys(string model)
    {
        using var m = ModelRegistry.Create(model);
        return PyTorchWeights.ReferenceKeyNames(m).Values.ToHashSet();
    }

    private static void ContainsAll(IReadOnlyCollection<string> keys, params string[] expected)
    {
        foreach (var key in expected)
            Assert.Contains(key, keys);
    }

    [Theory]
    [InlineData("resnet34")]
    [InlineData("resnet-20")]
    [InlineData("preresnet-20")]
    [InlineData("preresnet-164")]
    [InlineData("simple-cnn")]
    public void Models_that_already_use_the_reference_names_keep_them(string model)
    {
        using var m = ModelRegistry.Create(model);
        Assert.All(PyTorchWeights.ReferenceKeyNames(m), kv => Assert.Equal(kv.Key, kv.Value));
    }

    [Fact]
    public void Wide_ResNet_keys_are_bearpaws()
    {
        var keys = Keys("wrn-16-2");
        ContainsAll(keys, "block1.layer.0.bn1.weight", "block1.layer.0.convShortcut.weight", "block3.layer.1.conv2.weight", "bn1.running_var", "fc.weight");
        Assert.DoesNotContain(keys, k => k.StartsWith("block1.0.", StringComparison.Ordinal));
    }

    [Fact]
    public void DenseNet_BC_keys_are_bearpaws()
    {
        var keys = Keys("densenet-bc-40-4"); // 6 bottlenecks per dense block
        ContainsAll(keys, "dense1.0.bn1.weight", "dense1.5.conv2.weight", "trans1.bn1.num_batches_tracked", "trans2.conv1.weight",
            "dense3.5.bn2.running_mean", "bn.weight");
        Assert.DoesNotContain("trans3.conv1.weight", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("stage", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("vgg11-bn", new[] { 64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0 })]
    [InlineData("vgg16-bn", new[] { 64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0 })]
    public void VGG_keys_are_bearpaws_feature_indices(string model, int[] cfg)
    {
        // bearpaw's make_layers: one Sequential; each width adds conv, BN, ReLU; each 'M' (0 here) a max pool.
        var expected = new HashSet<string> { "classifier.weight", "classifier.bias" };
        int index = 0;
        foreach (int width in cfg)
        {
            if (width == 0) { index++; continue; }
            expected.UnionWith(new[] { $"features.{index}.weight", $"features.{index}.bias" });
            foreach (var suffix in new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" })
                expected.Add($"features.{index + 1}.{suffix}");
            index += 3;
        }
        Assert.Equal(expected.OrderBy(k => k), Keys(model).OrderBy(k => k));
    }

    [Fact]
    public void ResNeXt_keys_are_bearpaws()
    {
        var keys = Keys("resnext29-2x4d");
        ContainsAll(keys, "conv_1_3x3.weight", "bn_1.running_mean", "stage_1.stage_1_bottleneck_0.conv_reduce.weight",
            "stage_1.stage_1_bottleneck_0.shortcut.shortcut_conv.weight", "stage_2.stage_2_bottleneck_0.shortcut.shortcut_bn.num_batches_tracked",
            "stage_3.stage_3_bottleneck_2.bn_expand.bias", "classifier.weight");
        Assert.DoesNotContain(keys, k => k.Contains("stage_1_bottleneck_1.shortcut", StringComparison.Ordinal));
    }

    [Fact]
    public void SE_ResNet_and_CIFAR_ResNet18_keys_follow_their_references()
    {
        var se = Keys("se-resnet50");
        ContainsAll(se, "layer0.conv1.weight", "layer0.bn1.running_var", "layer1.0.se_module.fc1.weight", "last_linear.weight");
        var r18 = Keys("resnet18-cifar");
        ContainsAll(r18, "layer2.0.shortcut.0.weight", "linear.weight");
        Assert.DoesNotContain(r18, k => k.Contains("downsample", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(WeightFormat.PyTorch, "w.pt")]
    [InlineData(WeightFormat.SafeTensors, "w.safetensors")]
    public void Weights_round_trip_exactly_through_both_formats(WeightFormat format, string file)
    {
        var path = Path.Combine(RealData.NewTempDir("dropact-weights-tests"), file);
        torch.manual_seed(1);
        using var a = ModelRegistry.Create("wrn-16-2");
        PyTorchRoundTripTests.Randomise(a);
        Assert.Equal(a.state_dict().Count, PyTorchWeights.Save(a, path, format));
        Assert.Equal(format, WeightFormats.Detect(path));
        torch.manual_seed(2);
        using var b = ModelRegistry.Create("wrn-16-2");
        PyTorchWeights.Load(b, path);
        var sa = a.state_dict();
        Assert.All(b.state_dict(), kv => Assert.True(Same.Tensors(sa[kv.Key], kv.Value), kv.Key));
    }

    [Fact]
    public void A_channels_last_model_writes_the_same_bytes_as_its_standard_layout_twin()
    {
        var dir = RealData.NewTempDir("dropact-weights-tests");
        torch.manual_seed(1);
        using var a = ModelRegistry.Create("wrn-16-2");
        torch.manual_seed(1);
        using var b = DropActivation.Layout.ChannelsLast.ToChannelsLast(ModelRegistry.Create("wrn-16-2"));
        Assert.Contains(b.parameters(), t => t.dim() == 4 && !t.is_contiguous());
        byte[] Bundle(nn.Module m)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) TensorBundle.Write(writer, m.state_dict());
            return stream.ToArray();
        }
        Assert.Equal(Bundle(a), Bundle(b));
        foreach (var (format, file) in new[] { (WeightFormat.PyTorch, "w.pt"), (WeightFormat.SafeTensors, "w.safetensors") })
        {
            PyTorchWeights.Save(a, Path.Combine(dir, "a" + file), format);
            PyTorchWeights.Save(b, Path.Combine(dir, "b" + file), format);
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a" + file)), File.ReadAllBytes(Path.Combine(dir, "b" + file)));
        }
    }

    [Fact]
    public void A_file_that_does_not_fit_names_every_missing_unexpected_and_misshaped_key_and_changes_nothing()
    {
        var dir = RealData.NewTempDir("dropact-weights-tests");
        torch.manual_seed(1);
        using var source = ModelRegistry.Create("simple-cnn");
        var state = source.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        state.Remove("fc1.bias");
        state.Remove("block2.bn.running_var");
        state["fc3.weight"] = torch.zeros(3, 3);
        state["fc2.weight"] = torch.zeros(7, 1000);
        var path = Path.Combine(dir, "bad.safetensors");
        Safetensors.SaveStateDict(path, state);

        torch.manual_seed(2);
        using var target = ModelRegistry.Create("simple-cnn");
        var before = target.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        var e = Assert.Throws<WeightsMismatchException>(() => PyTorchWeights.Load(target, path));
        Assert.Equal(new[] { "block2.bn.running_var", "fc1.bias" }, e.Missing.OrderBy(k => k));
        Assert.Equal(new[] { "fc3.weight" }, e.Unexpected);
        Assert.Equal(new[] { "fc2.weight: file [7, 1000], model [10, 1000]" }, e.MisShaped);
        foreach (var part in new[] { path, "fc1.bias", "block2.bn.running_var", "fc3.weight", "fc2.weight: file [7, 1000], model [10, 1000]" })
            Assert.Contains(part, e.Message);
        Assert.All(target.state_dict(), kv => Assert.True(Same.Tensors(before[kv.Key], kv.Value), $"{kv.Key} changed"));
    }

    [Fact]
    public void Batch_counters_may_be_absent_as_in_old_PyTorch_files()
    {
        var path = Path.Combine(RealData.NewTempDir("dropact-weights-tests"), "old.pt");
        torch.manual_seed(1);
        using var source = ModelRegistry.Create("preresnet-20");
        PyTorchRoundTripTests.Randomise(source);
        PyTorchPickler.PickleStateDict(path, source.state_dict().Where(kv => !kv.Key.EndsWith(".num_batches_tracked"))
            .ToDictionary(kv => kv.Key, kv => kv.Value));
        using var target = ModelRegistry.Create("preresnet-20");
        PyTorchWeights.Load(target, path);
        Assert.True(Same.Tensors(source.state_dict()["layer3.2.bn2.running_var"], target.state_dict()["layer3.2.bn2.running_var"]));
    }

    [Fact]
    public void Files_in_neither_format_get_an_error_that_names_them()
    {
        var dir = RealData.NewTempDir("dropact-weights-tests");
        var text = Path.Combine(dir, "notes.pt");
        File.WriteAllText(text, "not weights at all");
        var e = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Read(text));
        Assert.Contains(text, e.Message);
        var legacy = Path.Combine(dir, "legacy.pt");
        File.WriteAllBytes(legacy, new byte[] { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8 });
        Assert.Contains("legacy", Assert.Throws<InvalidDataException>(() => PyTorchWeights.Read(legacy)).Message);
        Assert.Throws<FileNotFoundException>(() => PyTorchWeights.Read(Path.Combine(dir, "absent.pt")));
        var truncated = Path.Combine(dir, "truncated.safetensors");
        File.WriteAllBytes(truncated, new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'"' });
        Assert.Throws<InvalidDataException>(() => PyTorchWeights.Read(truncated));
    }
}
