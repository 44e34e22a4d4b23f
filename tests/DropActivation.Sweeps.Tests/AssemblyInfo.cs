// The tests start processes, change PATH/SLURM_CONF for a moment and share one Slurm test cluster: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
// The stand-ins for train and Slurm are shell scripts; Slurm itself is Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
