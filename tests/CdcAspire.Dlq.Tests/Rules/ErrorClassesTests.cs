extern alias dlqservice;

using dlqservice::CdcAspire.Dlq.Options;
using dlqservice::CdcAspire.Dlq.Replay;

namespace CdcAspire.Dlq.Tests.Rules;

/// <summary>Which errors retry by themselves, which the source heals, which wait for a person.</summary>
public sealed class ErrorClassesTests
{
    private readonly ErrorClasses _classes = new(Microsoft.Extensions.Options.Options.Create(new DlqOptions()));

    [Theory]
    [InlineData("http_429")]
    [InlineData("http_503")]
    [InlineData("http_500")]
    [InlineData("es_rejected_execution_exception")]
    [InlineData("timeout")]
    public void TransientErrorsRetryByThemselves(string type) => Assert.True(_classes.IsTransient(type));

    [Theory]
    [InlineData("strict_dynamic_mapping_exception")]
    [InlineData("mapper_parsing_exception")]
    [InlineData("document_parsing_exception")]
    [InlineData("http_400")]
    [InlineData("http_5xx")]
    [InlineData("unchanged_toast_unresolved")]
    public void PermanentErrorsWaitForAPerson(string type) => Assert.False(_classes.IsTransient(type));

    [Fact]
    public void WithheldToastValuesAreHealedFromTheSource()
    {
        Assert.True(_classes.IsHealable("unchanged_toast_unresolved"));
        Assert.False(_classes.IsHealable("mapper_parsing_exception"));
        Assert.Contains("unchanged_toast_unresolved", _classes.Automatic);
    }
}
