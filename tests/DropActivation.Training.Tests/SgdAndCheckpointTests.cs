namespace DropActivation.Training.Tests;

public class SgdAndCheckpointTests
{
    private static nn.Module<Tensor, Tensor> Net(long seed)
    {
        torch.manual_seed(seed);
        return nn.Sequential(("fc1", nn.Linear(6, 8)), ("bn", nn.BatchNorm1d(8)), ("act", nn.ReLU()), ("fc2", nn.Linear(8, 3)));
    }

    private static void Steps(nn.Module<Tensor, Tensor> net, Action zero, Action step, int n, long dataSeed)
    {
        var gen = new Generator((ulong)dataSeed);
        for (int i = 0; i < n; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn(new long[] { 16, 6 }, generator: gen);
            var y = torch.randint(3, new long[] { 16 }, generator: gen);
            var loss = nn.functional.cross_entropy(net.forward(x), y);
            zero();
            loss.backward();
            step();
        }
    }

    [Fact]
    public void Sgd_matches_torch_optim_SGD_with_momentum_and_weight_decay()
    {
        using var a = Net(3);
        using var b = Net(3);
        using var ours = new SgdMomentum(a, 0.9, 5e-4);
        var theirs = torch.optim.SGD(b.parameters(), 0.05, momentum: 0.9, weight_decay: 5e-4);
        Steps(a, ours.ZeroGrad, () => ours.Step(0.05), 5, 11);
        Steps(b, theirs.zero_grad, () => theirs.step(), 5, 11);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.allclose(pb, rtol: 1e-5, atol: 1e-6), $"{name} differs from torch.optim.SGD");
    }

    [Fact]
    public void Checkpoint_round_trip_restores_weights_buffers_momentum_and_rng_exactly()
    {
        var dir = RealData.NewTempDir("dropact-training-tests");
        using var a = Net(5);
        using var opt = new SgdMomentum(a, 0.9, 1e-4);
        Steps(a, opt.ZeroGrad, () => opt.Step(0.1), 3, 7);
        torch.manual_seed(99);
        using var rng = torch.get_rng_state();
        var path = Path.Combine(dir, "c.dact");
        CheckpointFile.Save(path, Header(epoch: 3), a.state_dict(), opt.StateDict(), rng);

        using var ckpt = CheckpointFile.Load(path);
        Assert.Equal(3, ckpt.Header.Epoch);
        Assert.Equal("simple-cnn", ckpt.Header.Options.Model);
        using var b = Net(6);
        Trainer.LoadModelState(b, ckpt.Model, path);
        foreach (var ((name, ta), (_, tb)) in a.state_dict().Zip(b.state_dict()))
            Assert.True(Same.Tensors(ta, tb), $"{name} not restored");
        Assert.Contains("bn.running_mean", ckpt.Model.Keys);
        Assert.Equal(opt.StateDict().Count, ckpt.Optimizer.Count);
        foreach (var (name, buf) in opt.StateDict()) Assert.True(Same.Tensors(buf, ckpt.Optimizer[name]), $"momentum of {name}");
        torch.manual_seed(1);
        torch.set_rng_state(ckpt.RngState!);
        using var r1 = torch.rand(5);
        torch.manual_seed(99);
        using var r2 = torch.rand(5);
        Assert.True(Same.Tensors(r1, r2));
    }

    [Fact]
    public void A_write_killed_halfway_leaves_the_previous_checkpoint_loadable()
    {
        var dir = RealData.NewTempDir("dropact-training-tests");
        var path = Path.Combine(dir, "checkpoint.dact");
        using var net = Net(1);
        CheckpointFile.Save(path, Header(epoch: 1), net.state_dict(), new Dictionary<string, Tensor>(), null);
        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<IOException>(() => CheckpointFile.Save(path, Header(epoch: 2), net.state_dict(),
            new Dictionary<string, Tensor>(), null, wrap: s => new FailingStream(s, failAfter: before.Length / 2)));
        Assert.Contains("simulated crash", e.Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        using var ckpt = CheckpointFile.Load(path);
        Assert.Equal(1, ckpt.Header.Epoch);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
    }

    [Fact]
    public void A_truncated_or_foreign_file_gives_a_clear_error_naming_the_file()
    {
        var dir = RealData.NewTempDir("dropact-training-tests");
        var path = Path.Combine(dir, "checkpoint.dact");
        using var net = Net(1);
        CheckpointFile.Save(path, Header(epoch: 1), net.state_dict(), new Dictionary<string, Tensor>(), null);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated or corrupt", e.Message);

        File.WriteAllText(path, "hello, not a checkpoint");
        e = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path));
        Assert.Contains("not a dropact checkpoint", e.Message);
        e = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(Path.Combine(dir, "missing.dact")));
        Assert.Contains("not found", e.Message);
    }

    private static CheckpointHeader Header(int epoch) => new()
    {
        Options = new TrainOptions { Model = "simple-cnn", Dataset = "mnist", Activation = "dropact", Epochs = 4, BatchSize = 8, LearningRate = 0.1 },
        NumClasses = 10, InChannels = 1, ImageSize = 28, Epoch = epoch,
    };

    /// <summary>Passes writes through until <c>failAfter</c> bytes, then throws as a crash would stop the process.</summary>
    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        private long _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_written + count > failAfter)
            {
                int part = (int)(failAfter - _written);
                inner.Write(buffer, offset, part);
                inner.Flush();
                throw new IOException("simulated crash in the middle of a checkpoint write");
            }
            inner.Write(buffer, offset, count);
            _written += count;
        }
    }
}
