using CdcAspire.Pipeline.Sources.Postgres.Types;

namespace CdcAspire.Pipeline.Tests.Types;

public sealed class PgTypeCatalogTests
{
    [Theory]
    [InlineData(16u, "bool", PgJsonKind.Boolean)]
    [InlineData(20u, "int8", PgJsonKind.Integral)]
    [InlineData(1700u, "numeric", PgJsonKind.Numeric)]
    [InlineData(701u, "float8", PgJsonKind.FloatingPoint)]
    [InlineData(1184u, "timestamptz", PgJsonKind.TimestampTz)]
    [InlineData(3802u, "jsonb", PgJsonKind.Json)]
    [InlineData(17u, "bytea", PgJsonKind.Bytea)]
    [InlineData(1043u, "varchar", PgJsonKind.Text)]
    [InlineData(1186u, "interval", PgJsonKind.Text)]
    public void BuiltInScalarsAreKnownWithoutAQuery(uint oid, string name, PgJsonKind kind)
    {
        Assert.True(new PgTypeCatalog().TryGet(oid, out var type));
        Assert.Equal(name, type.Name);
        Assert.Equal(kind, type.Kind);
    }

    [Theory]
    [InlineData(1000u, 16u)]
    [InlineData(1007u, 23u)]
    [InlineData(1009u, 25u)]
    [InlineData(1015u, 1043u)]
    [InlineData(1016u, 20u)]
    [InlineData(1022u, 701u)]
    [InlineData(1182u, 1082u)]
    [InlineData(1185u, 1184u)]
    [InlineData(1231u, 1700u)]
    [InlineData(2951u, 2950u)]
    [InlineData(3807u, 3802u)]
    public void BuiltInArraysKnowTheirElementType(uint arrayOid, uint elementOid)
    {
        var type = Pg.Type(arrayOid);
        Assert.Equal(PgJsonKind.Array, type.Kind);
        Assert.Equal('A', type.Category);
        Assert.Equal(elementOid, type.Element?.Oid);
    }

    [Fact]
    public void BoxArraysUseTheSemicolonDelimiter() => Assert.Equal(';', Pg.Type(1020).Element?.Delimiter);

    [Fact]
    public void VectorTypesThatPrintSpaceSeparatedAreNotTreatedAsArrays()
    {
        Assert.Null(PgTypeCatalog.GetBuiltIn(22));
        Assert.Equal(PgJsonKind.Text, PgType.Unknown(22).Kind);
    }

    [Fact]
    public void UnknownOidIsNotKnownUntilResolved() =>
        Assert.False(new PgTypeCatalog().TryGet(16385, out _));

    [Fact]
    public async Task BuiltInsResolveWithoutTouchingTheDatabase()
    {
        await using var unreachable = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Timeout=1");
        var type = await new PgTypeCatalog().ResolveAsync(1009, unreachable, TestContext.Current.CancellationToken);
        Assert.Equal("_text", type.Name);
    }
}
