using CdcAspire.Dlq.Extensions;
using CdcAspire.ServiceDefaults;
using CdcAspire.ServiceDefaults.Grpc;
using CdcAspire.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGrpcApi();
builder.AddDlq();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcApi();
app.MapDlqGrpc();
return await app.RunServiceAsync();
