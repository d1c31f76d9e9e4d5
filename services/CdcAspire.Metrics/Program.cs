using CdcAspire.Metrics.Extensions;
using CdcAspire.ServiceDefaults;
using CdcAspire.ServiceDefaults.Grpc;
using CdcAspire.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGrpcApi();
builder.AddChainMetrics();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcApi();
app.MapChainMetrics();
return await app.RunServiceAsync();
