using System.Text;
using CdcAspire.Pipeline.DeadLetters;
using Npgsql;
using NpgsqlTypes;

namespace CdcAspire.Dlq.Store;

/// <summary>A <see cref="DeadLetterFilter"/> as a parameterised WHERE clause (values never enter the SQL text).</summary>
internal static class FilterSql
{
    public static string Where(DeadLetterFilter filter, NpgsqlParameterCollection parameters)
    {
        var sql = new StringBuilder("TRUE");
        string Add(object value, NpgsqlDbType type)
        {
            parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
            return "$" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (filter.Ids.Count > 0)
        {
            sql.Append(" AND id = ANY(").Append(Add(filter.Ids.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint)).Append(')');
        }

        if (!string.IsNullOrEmpty(filter.Table))
        {
            sql.Append(" AND table_name = ").Append(Add(filter.Table, NpgsqlDbType.Text));
        }

        if (!string.IsNullOrEmpty(filter.Index))
        {
            sql.Append(" AND index_name = ").Append(Add(filter.Index, NpgsqlDbType.Text));
        }

        if (!string.IsNullOrEmpty(filter.ErrorType))
        {
            sql.Append(" AND error_type = ").Append(Add(filter.ErrorType, NpgsqlDbType.Text));
        }

        if (!string.IsNullOrEmpty(filter.ReasonContains))
        {
            sql.Append(" AND strpos(lower(error_reason), lower(").Append(Add(filter.ReasonContains, NpgsqlDbType.Text)).Append(")) > 0");
        }

        if (filter.States.Count > 0)
        {
            sql.Append(" AND status = ANY(")
                .Append(Add(filter.States.Select(s => s.ToStored()).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)).Append(')');
        }

        if (filter.OlderThan is { } age)
        {
            sql.Append(" AND created_at <= now() - ").Append(Add(age, NpgsqlDbType.Interval));
        }

        return sql.ToString();
    }
}
