// Tests share torch's global generator and thread count: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
