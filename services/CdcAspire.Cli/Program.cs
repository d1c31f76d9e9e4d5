using CdcAspire.Cli;

return await CliApp.RunAsync(args);
