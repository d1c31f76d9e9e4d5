using CdcAspire.ServiceDefaults.Grpc;
using CdcAspire.ServiceDefaults;
using CdcAspire.Sink.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.ConfigureGrpcKestrel();
builder.AddSinkPipeline();
builder.Services.AddSinkGrpc();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSinkApi();
app.MapSinkGrpc();
app.Run();
