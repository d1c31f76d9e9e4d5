using CdcAspire.Consistency.Extensions;
using CdcAspire.ServiceDefaults;
using CdcAspire.ServiceDefaults.Grpc;
using CdcAspire.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGrpcApi();
builder.AddConsistency();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcApi();
app.MapConsistencyGrpc();
return await app.RunServiceAsync();
