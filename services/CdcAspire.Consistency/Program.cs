using CdcAspire.ServiceDefaults;
using CdcAspire.ServiceDefaults.Grpc;
using CdcAspire.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGrpcApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcApi();
return await app.RunServiceAsync();
