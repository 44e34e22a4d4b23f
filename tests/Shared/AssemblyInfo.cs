// Every test project runs its tests one at a time: they share torch's global generator and thread
// count, and the sweep tests start processes, change PATH/SLURM_CONF for a moment and share one
// Slurm test cluster.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
