-- The seed rows. Tests embed and run this file (SeedSchema.SeedRows).
INSERT INTO users (username, email, full_name) VALUES
    ('john_doe', 'john@example.com', 'John Doe'),
    ('jane_smith', 'jane@example.com', 'Jane Smith'),
    ('bob_wilson', 'bob@example.com', 'Bob Wilson');
INSERT INTO products (name, description, price, category, tags, inventory_count) VALUES
    ('Wireless Headphones', 'Premium wireless headphones', 199.99, 'Electronics', ARRAY['audio', 'wireless', 'bluetooth'], 100),
    ('Smart Watch', 'Fitness tracking smartwatch', 299.99, 'Electronics', ARRAY['wearable', 'fitness', 'smart'], 50),
    ('Running Shoes', 'Professional running shoes', 129.99, 'Sports', ARRAY['running', 'shoes', 'sport'], 200);
