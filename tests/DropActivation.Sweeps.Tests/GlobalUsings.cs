global using System.Diagnostics;
global using DropActivation.Sweeps.Planning;
global using DropActivation.Sweeps.Running;
global using DropActivation.Sweeps.Slurm;
global using DropActivation.Sweeps.Specs;
global using DropActivation.Sweeps.Status;
