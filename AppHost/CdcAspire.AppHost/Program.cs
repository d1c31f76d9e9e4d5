using CdcAspire.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
builder.AddCdcAspire();
builder.Build().Run();
