using CdcAspire.ConsistencyBench;

// Orchestrator by default; "--child <check|pg|es>" runs one measured part (started by the orchestrator).
return args.Length >= 2 && args[0] == "--child"
    ? await Child.RunAsync(args[1], CancellationToken.None)
    : await Orchestrator.RunAsync(args, CancellationToken.None);
