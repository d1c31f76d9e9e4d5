using Microsoft.Extensions.Configuration;

namespace CdcAspire.AppHost.Tests.Model;

public sealed class SettingsTests
{
    private static AppHostSettings From(params (string Key, string Value)[] values) =>
        AppHostSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [Fact]
    public void DefaultsAreDirectContainersAndTheSeedTables()
    {
        var settings = From();
        Assert.Equal(Topology.Direct, settings.Topology);
        Assert.Equal(Servers.Containers, settings.Servers);
        Assert.Equal(AppHostSettings.SeedTables, settings.Tables);
    }

    [Fact]
    public void ValuesAreCaseInsensitive()
    {
        var settings = From(("CdcAspire:Topology", "Kafka"), ("CdcAspire:Servers", "EXISTING"));
        Assert.Equal((Topology.Kafka, Servers.Existing), (settings.Topology, settings.Servers));
    }

    [Fact]
    public void AnUnknownTopologyNamesTheKeyAndTheChoices()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => From(("CdcAspire:Topology", "debezium")));
        Assert.Equal("CdcAspire:Topology = 'debezium' is not one of: direct, kafka.", ex.Message);
    }

    [Fact]
    public void ANumericServersValueIsRefusedToo()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => From(("CdcAspire:Servers", "7")));
        Assert.StartsWith("CdcAspire:Servers = '7'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATableWithoutSchemaIsRefusedWithTheFix()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => From(("CdcAspire:Tables:users", "users")));
        Assert.Contains("CdcAspire:Tables:public.users=users", ex.Message, StringComparison.Ordinal);
    }
}
