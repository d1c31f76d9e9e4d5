using CdcAspire.Pipeline.Mapping;

namespace CdcAspire.Pipeline.Tests.Mapping;

public sealed class DocumentIdTests
{
    [Theory]
    [InlineData("a|b", "c")]
    [InlineData("a", "b|c")]
    [InlineData("x\\", "")]
    [InlineData("1", "2", "3")]
    public void ACompositeIdParsesBackToItsKey(params string[] key) =>
        Assert.Equal(key, DocumentId.Parse(DocumentId.From(key), key.Length));

    [Fact]
    public void AnIdWithTheWrongNumberOfPartsIsNotAKey() =>
        Assert.Null(DocumentId.Parse("a|b|c", 2));
}
