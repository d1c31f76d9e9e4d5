using CdcAspire.Pipeline.Options;

namespace CdcAspire.Pipeline.Tests.Options;

public sealed class CdcOptionsValidatorTests
{
    private static IEnumerable<string> Errors(CdcOptions options) => new CdcOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void TheDefaultsWithOneTableAreValid()
    {
        var options = new CdcOptions { Tables = { ["public.users"] = new TableOptions() } };
        Assert.Empty(Errors(options));
    }

    [Fact]
    public void EveryMistakeIsReportedWithItsKey()
    {
        var options = new CdcOptions
        {
            Source = "mysql",
            SlotName = "Bad-Slot",
            Tables = { ["public.a"] = new TableOptions { Index = "Same" }, ["cdc.dead_letters"] = new TableOptions() },
            Writer = { Lanes = 0, RequestTimeout = TimeSpan.FromMinutes(2) },
        };
        var errors = Errors(options).ToList();
        Assert.Contains(errors, e => e.StartsWith("Cdc:Source", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Cdc:SlotName", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Cdc:Tables:public.a:Index", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Cdc:Tables:cdc.dead_letters", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Cdc:Writer:Lanes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Cdc:Writer:RequestTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoTablesInOneIndexAreRefusedBecauseATruncateWouldEraseBoth()
    {
        var options = new CdcOptions { Tables = { ["a"] = new TableOptions { Index = "x" }, ["b"] = new TableOptions { Index = "x" } } };
        Assert.Contains(Errors(options), e => e.Contains("also the index of", StringComparison.Ordinal));
    }
}
