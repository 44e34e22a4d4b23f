using System.Text.Json;
using DropActivation.Surgery;
using TorchSharp;
using static TorchSharp.torch;

// What a new user writes first: TorchVision's ResNet-50 with Drop-Activation and one SGD step at the size that killed
// the process (SIGFPE in oneDNN's strided 1×1 convolution backward) on AVX-512 hosts without AMX: batch 2, 224×224.
// No hand-written swap: UseDropActivation protects the model it touches.
torch.manual_seed(1);
using var model = torchvision.models.resnet50(num_classes: 10);
var report = model.UseDropActivation(0.95);
model.train();
using var sgd = optim.SGD(model.parameters(), 0.01);
var loss = nn.functional.cross_entropy(model.call(randn(2, 3, 224, 224)), tensor(new long[] { 1, 2 }));
loss.backward();
sgd.step();
var parameters = model.parameters().ToList();
Console.WriteLine(JsonSerializer.Serialize(new
{
    loss = loss.item<float>(),
    activations = report.Count,
    protected_convolutions = report.ProtectedConvolutions.Count,
    parameters = parameters.Count,
    finite_gradients = parameters.Count(p => p.grad is { } g && g.isfinite().all().item<bool>()),
}));
