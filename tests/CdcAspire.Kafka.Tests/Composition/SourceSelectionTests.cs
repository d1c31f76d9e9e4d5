using CdcAspire.Pipeline.Changes;
using CdcAspire.Pipeline.Extensions;
using CdcAspire.Pipeline.Kafka;
using CdcAspire.Pipeline.Kafka.Extensions;
using CdcAspire.Pipeline.Options;
using CdcAspire.Pipeline.Refresh;
using CdcAspire.Pipeline.Sources.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CdcAspire.Kafka.Tests.Composition;

/// <summary>
/// The sink's composition: both sources registered by key, <c>Cdc:Source</c> picks one, and only the picked one's
/// settings are checked at start. Nothing here connects anywhere (the addresses are never dialled).
/// </summary>
public sealed class SourceSelectionTests
{
    [Fact]
    public void TheDirectTopologyStartsWithoutAnyKafkaSetting()
    {
        using var host = Build(SourceNames.Postgres, kafkaRegistered: true);

        host.Services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(VersionFenceMode.WalInsertPosition, host.Services.GetRequiredService<CdcTopology>().Fence);
    }

    [Fact]
    public void TheKafkaTopologyIsCheckedAtStartWithTheKeyToFix()
    {
        using var host = Build(SourceNames.Kafka, kafkaRegistered: true);

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.StartsWith("ConnectionStrings:kafka is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void ASourceThisServiceDoesNotRegisterIsRefusedAtStart()
    {
        using var host = Build(SourceNames.Kafka, kafkaRegistered: false, ("ConnectionStrings:kafka", "127.0.0.1:9"));

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Cdc:Source 'kafka' is not available in this build.", error.Failures);
    }

    [Theory]
    [InlineData(SourceNames.Postgres, typeof(PostgresChangeSource))]
    [InlineData(SourceNames.Kafka, typeof(KafkaChangeSource))]
    public async Task EachRunScopeGetsAFreshSourceOfTheSelectedKind(string source, Type expected)
    {
        using var host = Build(source, kafkaRegistered: true, ("ConnectionStrings:kafka", "127.0.0.1:9"));
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        var key = host.Services.GetRequiredService<IOptions<CdcOptions>>().Value.Source;

        IChangeSource first, second;
        await using (var run = host.Services.CreateAsyncScope())
        {
            first = run.ServiceProvider.GetRequiredKeyedService<IChangeSource>(key);
            Assert.Same(first, run.ServiceProvider.GetRequiredKeyedService<IChangeSource>(key));
        }

        await using (var run = host.Services.CreateAsyncScope())
        {
            second = run.ServiceProvider.GetRequiredKeyedService<IChangeSource>(key);
        }

        Assert.IsType(expected, first);
        Assert.IsType(expected, second);
        Assert.NotSame(first, second);
        Assert.Equal(source, first.Name);
    }

    private static IHost Build(string source, bool kafkaRegistered, params (string Key, string Value)[] extra)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var settings = new Dictionary<string, string?>
        {
            ["Cdc:Source"] = source,
            ["Cdc:Tables:public.users:Index"] = "users",
            ["Cdc:Kafka:TopicPrefix"] = "cdc",
            ["ConnectionStrings:appdb"] = "Host=127.0.0.1;Port=9;Username=u;Password=p;Database=d",
            ["ConnectionStrings:elasticsearch"] = "http://127.0.0.1:9",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCdcPipeline();
        if (kafkaRegistered)
        {
            builder.Services.AddKafkaChangeSource(builder.Configuration);
        }

        return builder.Build();
    }
}
