using DropActivation.Models.Registry;

namespace DropActivation.Models.Tests;

/// <summary>
/// Exact parameter counts against the reference implementations the paper's hyper-parameters come from.
/// Each number is derived layer by layer below (conv k×k in→out without bias: k²·in·out; BN: 2·C;
/// linear: (in + 1)·classes) and agrees with the count the reference code reports.
/// </summary>
public sealed class ParameterCountTests
{
    public static TheoryData<string, int, long> Published => new()
    {
        // VGG-19-BN, bearpaw/pytorch-classification models/cifar/vgg.py cfg 'E' (docs/models.md: 20.04M).
        // Conv (3×3, with bias) + BN per layer: 3→64: 1,792+128; 64→64: 36,928+128; 64→128: 73,856+256;
        // 128→128: 147,584+256; 128→256: 295,168+512; 3 × 256→256: 3·(590,080+512); 256→512: 1,180,160+1,024;
        // 7 × 512→512: 7·(2,359,808+1,024). Convs 20,024,384 + BN 11,008 = 20,035,392; linear 512·10+10 = 5,130.
        { "vgg19-bn", 10, 20_040_522 },
        { "vgg19-bn", 100, 20_086_692 },     // 20,035,392 + 512·100 + 100
        // ResNet-110, bearpaw resnet.py with BasicBlock (n = 18; projection shortcut 1×1 conv + BN) (docs/models.md: 1.70M).
        // Stem 432 + 32. Stage 1: 18 × (2·2,304 + 2·32) = 84,096. Stage 2: first 4,608 + 9,216 + 128 + 512 + 64 = 14,528,
        // then 17 × (2·9,216 + 128) = 315,520. Stage 3: first 18,432 + 36,864 + 256 + 2,048 + 128 = 57,728,
        // then 17 × (2·36,864 + 256) = 1,257,728. fc 64·10 + 10 = 650.
        { "resnet110", 10, 1_730_714 },
        { "resnet110", 100, 1_736_564 },     // + 65·90
        // ResNet-164, bearpaw resnet.py with Bottleneck (n = 18, expansion 4) (docs/models.md: 1.70M).
        // Stem 464. Stage 1 (16→64): first 256+32+2,304+32+1,024+128 + shortcut 1,024+128 = 4,928, then 17 × 4,544 = 77,248.
        // Stage 2 (32→128): first 2,048+64+9,216+64+4,096+256 + 8,192+256 = 24,192, then 17 × 17,792 = 302,464.
        // Stage 3 (64→256): first 8,192+128+36,864+128+16,384+512 + 32,768+512 = 95,488, then 17 × 70,400 = 1,196,800.
        // fc 256·10 + 10 = 2,570.
        { "resnet164", 10, 1_704_154 },
        { "resnet164", 100, 1_727_284 },     // + 257·90
        // PreResNet-164, bearpaw preresnet.py (no BN after the stem; shortcut is a 1×1 conv without BN; final BN).
        // Stem 432. Stage 1: first 32+256+32+2,304+32+1,024 + 1,024 = 4,704, then 17 × (128+1,024+32+2,304+32+1,024) = 77,248.
        // Stage 2: first 128+2,048+64+9,216+64+4,096 + 8,192 = 23,808, then 17 × 17,792 = 302,464.
        // Stage 3: first 256+8,192+128+36,864+128+16,384 + 32,768 = 94,720, then 17 × 70,400 = 1,196,800.
        // Final BN 512, fc 2,570.
        { "preresnet164", 10, 1_703_258 },
        { "preresnet164", 100, 1_726_388 },
        // WRN-28-10, xternalz/WideResNet-pytorch (widths 16, 160, 320, 640; n = 4) (36.5M in the WRN paper).
        // Stem 432. Block 1: first 32 + 23,040 + 320 + 230,400 + shortcut 2,560 = 256,352, then 3 × 461,440.
        // Block 2: first 320 + 460,800 + 640 + 921,600 + 51,200 = 1,434,560, then 3 × 1,844,480.
        // Block 3: first 640 + 1,843,200 + 1,280 + 3,686,400 + 204,800 = 5,736,320, then 3 × 7,375,360.
        // Final BN 1,280, fc 640·10 + 10 = 6,410.
        { "wrn-28-10", 10, 36_479_194 },
        { "wrn-28-10", 100, 36_536_884 },    // + 641·90
        // WRN-16-8 (widths 16, 128, 256, 512; n = 2) (11.0M in the WRN paper).
        // Stem 432. Block 1: 168,224 + 295,424. Block 2: 918,272 + 1,180,672. Block 3: 3,671,552 + 4,720,640. BN 1,024, fc 5,130.
        { "wrn-16-8", 10, 10_961_370 },
        // DenseNet-BC-100-12, bearpaw densenet.py (n = 16 bottlenecks per block, 4k = 48 inner, compression 0.5) (docs/models.md: 0.77M).
        // A bottleneck on c channels: BN 2c + 1×1 48c + BN 96 + 3×3 48·12·9 = 5,184, i.e. 50c + 5,280.
        // Stem 3·24·9 = 648. Block 1 (c = 24 … 204): 50·1,824 + 16·5,280 = 175,680; transition 216→108: 432 + 23,328.
        // Block 2 (c = 108 … 288): 50·3,168 + 84,480 = 242,880; transition 300→150: 600 + 45,000.
        // Block 3 (c = 150 … 330): 50·3,840 + 84,480 = 276,480. Final BN 684, fc 342·10 + 10 = 3,430.
        { "densenet-bc-100-12", 10, 769_162 },
        { "densenet-bc-100-12", 100, 800_032 }, // + 343·90
        // DenseNet-BC-190-40 (n = 31, 4k = 160 inner): a bottleneck on c channels is 162c + 57,920.
        // Stem 2,160. Block 1 (Σc = 21,080): 5,210,480; transition 1,320→660: 873,840.
        // Block 2 (Σc = 39,060): 8,123,240; transition 1,900→950: 1,808,800. Block 3 (Σc = 48,050): 9,579,620.
        // Final BN 4,380, fc 2,190·10 + 10 = 21,910. (Huang et al.: 25.6M.)
        { "densenet-bc-190-40", 10, 25_624_430 },
        // ResNeXt-29 8×64d, bearpaw resnext.py (cardinality 8, widen factor 4: inner widths 512, 1024, 2048) (docs/models.md: 34.43M).
        // Stem 1,728 + 128. A block in→out with inner D: in·D + 2D + 9D²/8 + 2D + D·out + 2·out (+ in·out + 2·out shortcut).
        // Stage 1: 478,208 + 2 × 559,616. Stage 2: 2,103,296 + 2 × 2,233,344. Stage 3: 8,400,896 + 2 × 8,923,136.
        // Classifier 1,024·10 + 10 = 10,250.
        { "resnext29-8x64d", 10, 34_426_698 },
        { "resnext29-8x64d", 100, 34_518_948 }, // + 1,025·90
        // ResNet-18, kuangliu/pytorch-cifar (11.2M). Stem 1,728 + 128. Layer 1: 2 × 73,984.
        // Layer 2: 230,144 + 295,424. Layer 3: 919,040 + 1,180,672. Layer 4: 3,673,088 + 4,720,640. Linear 5,130.
        { "resnet18-cifar", 10, 11_173_962 },
        { "resnet18-cifar", 100, 11_220_132 },
        // ResNet-34, torchvision (21,797,672 as torchvision reports). Stem 7·7·3·64 = 9,408 + 128.
        // Layer 1: 3 × 73,984. Layer 2: 230,144 + 3 × 295,424. Layer 3: 919,040 + 5 × 1,180,672.
        // Layer 4: 3,673,088 + 2 × 4,720,640. fc 512·1,000 + 1,000 = 513,000.
        { "resnet34", 1000, 21_797_672 },
        // SE-ResNet-50, Cadene/pretrained-models.pytorch se_resnet50 (28,088,024): torchvision's ResNet-50 (25,557,032)
        // plus per block an SE module on C channels with biases, 2·C²/16 + C/16 + C:
        // 3 × (8,192 + 272) + 4 × (32,768 + 544) + 6 × (131,072 + 1,088) + 3 × (524,288 + 2,176) = 2,530,992.
        // (moskomule/senet.pytorch's bias-free SE gives 28,071,976.)
        { "se-resnet50", 1000, 28_088_024 },
        // Appendix 8.1 simple CNN on 32×32×3 (convs with bias, as PyTorch's default): 896 + 64 + 18,496 + 128 + 73,856 + 256
        // + fc 2,048·1,000 + 1,000 + fc 1,000·10 + 10.
        { "simple-cnn", 10, 2_152_706 },
        // Figure 2's MLP: (1+1)·1,000 + (1,000+1)·800 + (800+1)·200 + (200+1)·1.
        { "mlp-regression", 1, 963_201 },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void Parameter_count_equals_the_reference(string name, int classes, long expected)
    {
        var info = ModelRegistry.Describe(name);
        using var model = ModelRegistry.Create(name, info.DefaultConfig() with { NumClasses = classes });
        Assert.Equal(expected, model.ParameterCount());
    }

    [Theory]
    [InlineData("resnet110", 100)]
    [InlineData("densenet-bc-100-12", 100)]
    [InlineData("simple-cnn", 47)]
    public void Count_for_another_class_count_matches_a_rebuilt_model(string name, int classes)
    {
        using var ten = ModelRegistry.Create(name, new ModelConfig(10));
        using var other = ModelRegistry.Create(name, new ModelConfig(classes));
        Assert.Equal(other.ParameterCount(), ten.ParameterCount(classes));
        Assert.NotEqual(ten.ParameterCount(), other.ParameterCount());
    }

    [Fact]
    public void Parametric_names_give_the_published_smaller_networks()
    {
        // bearpaw ResNet-20 (README 0.27M): stem 464 + stage 1 3·4,672 + stage 2 14,528 + 2·18,560
        // + stage 3 57,728 + 2·73,984 + fc 650.
        using var resnet20 = ModelRegistry.Create("resnet-20");
        Assert.Equal(272_474, resnet20.ParameterCount());
        // "resnet-164" defaults to bottlenecks (= resnet164); "-basic" forces 27 basic blocks per stage.
        using var r164 = ModelRegistry.Create("resnet-164");
        Assert.Equal(1_704_154, r164.ParameterCount());
        using var r164basic = ModelRegistry.Create("resnet-164-basic");
        Assert.NotEqual(1_704_154, r164basic.ParameterCount());
        // The 28×28 one-channel stem only changes the first convolution: 3·16·9 → 1·16·9.
        using var mnist = ModelRegistry.Create("resnet110", new ModelConfig(10, 1, 28));
        Assert.Equal(1_730_714 - 2 * 16 * 9, mnist.ParameterCount());
    }
}
