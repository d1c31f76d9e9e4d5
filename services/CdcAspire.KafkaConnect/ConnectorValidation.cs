namespace CdcAspire.KafkaConnect;

/// <summary>The answer of <c>PUT /connector-plugins/{class}/config/validate</c>: errors by config key.</summary>
public sealed record ConnectorValidation(int ErrorCount, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    public bool IsValid => ErrorCount == 0;

    public override string ToString() =>
        IsValid ? "valid" : string.Join("; ", Errors.Select(e => $"{e.Key}: {string.Join(" / ", e.Value)}"));
}
