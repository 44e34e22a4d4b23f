global using System.Formats.Tar;
global using System.IO.Compression;
global using DropActivation.Data.Augmentation;
global using DropActivation.Data.Inspection;
global using DropActivation.Data.Loading;
global using DropActivation.Data.Readers;
global using DropActivation.Data.Registry;
global using TorchSharp;
