using System.Collections.Frozen;

namespace CdcAspire.Pipeline.Sources.Postgres.Types;

/// <summary>
/// The built-in types and their array types, as listed in PostgreSQL's <c>pg_type.dat</c> (OIDs, names,
/// categories and delimiters checked against a PostgreSQL 15 server's <c>pg_type</c>).
/// </summary>
internal static class PgBuiltInTypes
{
    // (oid, name, typcategory, array type oid, typdelim). int2vector/oidvector are left out on purpose: their
    // category is 'A' but they print as space-separated lists, not array literals, so they stay strings.
    private static readonly (uint Oid, string Name, char Category, uint ArrayOid, char Delimiter)[] Scalars =
    [
        (16, "bool", 'B', 1000, ','),
        (17, "bytea", 'U', 1001, ','),
        (18, "char", 'Z', 1002, ','),
        (19, "name", 'S', 1003, ','),
        (20, "int8", 'N', 1016, ','),
        (21, "int2", 'N', 1005, ','),
        (23, "int4", 'N', 1007, ','),
        (25, "text", 'S', 1009, ','),
        (26, "oid", 'N', 1028, ','),
        (27, "tid", 'U', 1010, ','),
        (28, "xid", 'U', 1011, ','),
        (29, "cid", 'U', 1012, ','),
        (114, "json", 'U', 199, ','),
        (142, "xml", 'U', 143, ','),
        (600, "point", 'G', 1017, ','),
        (601, "lseg", 'G', 1018, ','),
        (602, "path", 'G', 1019, ','),
        (603, "box", 'G', 1020, ';'),
        (604, "polygon", 'G', 1027, ','),
        (628, "line", 'G', 629, ','),
        (650, "cidr", 'I', 651, ','),
        (700, "float4", 'N', 1021, ','),
        (701, "float8", 'N', 1022, ','),
        (718, "circle", 'G', 719, ','),
        (774, "macaddr8", 'U', 775, ','),
        (790, "money", 'N', 791, ','),
        (829, "macaddr", 'U', 1040, ','),
        (869, "inet", 'I', 1041, ','),
        (1042, "bpchar", 'S', 1014, ','),
        (1043, "varchar", 'S', 1015, ','),
        (1082, "date", 'D', 1182, ','),
        (1083, "time", 'D', 1183, ','),
        (1114, "timestamp", 'D', 1115, ','),
        (1184, "timestamptz", 'D', 1185, ','),
        (1186, "interval", 'T', 1187, ','),
        (1266, "timetz", 'D', 1270, ','),
        (1560, "bit", 'V', 1561, ','),
        (1562, "varbit", 'V', 1563, ','),
        (1700, "numeric", 'N', 1231, ','),
        (2950, "uuid", 'U', 2951, ','),
        (3220, "pg_lsn", 'U', 3221, ','),
        (3614, "tsvector", 'U', 3643, ','),
        (3615, "tsquery", 'U', 3645, ','),
        (3802, "jsonb", 'U', 3807, ','),
        (3904, "int4range", 'R', 3905, ','),
        (3906, "numrange", 'R', 3907, ','),
        (3908, "tsrange", 'R', 3909, ','),
        (3910, "tstzrange", 'R', 3911, ','),
        (3912, "daterange", 'R', 3913, ','),
        (3926, "int8range", 'R', 3927, ','),
        (4072, "jsonpath", 'U', 4073, ','),
    ];

    /// <summary>Every built-in scalar type and its array type, by OID.</summary>
    public static FrozenDictionary<uint, PgType> All { get; } = Build();

    private static FrozenDictionary<uint, PgType> Build()
    {
        var types = new Dictionary<uint, PgType>(Scalars.Length * 2);
        foreach (var (oid, name, category, arrayOid, delimiter) in Scalars)
        {
            var scalar = new PgType(oid, name, category, Delimiter: delimiter);
            types.Add(oid, scalar);
            // pg_type gives an array the same typdelim as its element (_box is ';'); array_out separates elements
            // with the element type's delimiter, which is what the parser reads.
            types.Add(arrayOid, new PgType(arrayOid, "_" + name, 'A', Element: scalar, Delimiter: delimiter));
        }

        return types.ToFrozenDictionary();
    }
}
