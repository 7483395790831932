// These tests build and time real programs: never two at once on a small machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Every test here runs the real program, package or compilers: the fast command (`--filter "Category!=Real"`) skips them.
[assembly: AssemblyTrait("Category", "Real")]
