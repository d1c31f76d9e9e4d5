namespace CdcAspire.Sink.Tests;

/// <summary>SQL for mixed workloads on the seed schema.</summary>
public static class Workload
{
    /// <summary>A description large enough to be TOASTed out of line (random hex does not compress).</summary>
    public const string LargeDescription = "(SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 120))";

    public static string InsertProducts(int count, string category = "Bulk") => $"""
        INSERT INTO products (name, description, price, category, tags, inventory_count, metadata)
        SELECT 'Product ' || g, {LargeDescription} || g, (g % 1000) + 0.99, '{category}', ARRAY['tag' || (g % 7), 'x,y "quoted"'],
               g % 50, jsonb_build_object('g', g, 'nested', jsonb_build_object('ok', true))
        FROM generate_series(1, {count}) g;
        """;

    /// <summary>One transaction touching all three tables: insert a user and an order, change a product, delete another.</summary>
    public static string MultiTableTransaction(int n) => $$"""
        BEGIN;
        INSERT INTO users (username, email, full_name) VALUES ('user{{n}}', 'user{{n}}@example.com', 'User ''{{n}}'' Ünïcødé 🚀');
        INSERT INTO orders (user_id, status, total_amount, shipping_address, items)
            VALUES (currval('users_id_seq'), 'pending', {{n}}.25, '{"city": "Paris", "zip": "75001"}', '[{"product_id": {{n}}, "quantity": 2, "price": 9.99}]');
        UPDATE products SET inventory_count = inventory_count + 1 WHERE id = (SELECT min(id) FROM products);
        DELETE FROM products WHERE id = (SELECT max(id) FROM products WHERE category = 'Bulk');
        COMMIT;
        """;
}
