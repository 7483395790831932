// These tests build and time real programs: never two at once on a small machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
