using CdcAspire.ServiceDefaults;
using CdcAspire.ServiceDefaults.Hosting;
using CdcAspire.Sink.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSinkGrpc();
builder.AddSinkPipeline();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSinkApi();
app.MapSinkGrpc();
return await app.RunServiceAsync();
