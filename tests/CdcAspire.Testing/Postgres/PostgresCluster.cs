using CdcAspire.Testing.Net;
using System.Diagnostics;
using Npgsql;

namespace CdcAspire.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's binaries: initdb into a temp folder, start on a free loopback
/// port with password authentication and logical replication, stop and delete on dispose. As root, initdb and the
/// server run as the <c>postgres</c> user (initdb refuses root).
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string SuperUser = "postgres";

    private readonly string _bin;
    private readonly string _dir;

    private PostgresCluster(string bin, string dir, int port, string password)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    public string DataDirectory => Path.Combine(_dir, "data");

    /// <summary>Starts a cluster. <paramref name="walLevel"/> other than logical is for tests of the refusal.</summary>
    public static async Task<PostgresCluster> StartAsync(string walLevel = "logical", CancellationToken cancellationToken = default)
    {
        var bin = FindBinaries();
        var dir = Directory.CreateTempSubdirectory("cdc-pg-").FullName;
        var password = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var cluster = new PostgresCluster(bin, dir, FreePort.Next(), password);
        await cluster.InitAsync(walLevel, cancellationToken);
        return cluster;
    }

    /// <summary>A connection string for a database (Npgsql format, as Aspire injects it).</summary>
    public string ConnectionString(string database = "postgres", string user = SuperUser, string? password = null) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = user,
            Password = password ?? Password,
            Database = database,
            Pooling = true,
            Timeout = 15,
        }.ConnectionString;

    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync("postgres", $"CREATE DATABASE \"{name}\"", cancellationToken);
        return ConnectionString(name);
    }

    public async Task ExecuteAsync(string database, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T?> ScalarAsync<T>(string database, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(sql, connection);
        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        return value is DBNull or null ? default : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w"], CancellationToken.None, check: false);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is not worth failing a test run.
            }
        }
    }

    private async Task InitAsync(string walLevel, CancellationToken cancellationToken)
    {
        var pwFile = Path.Combine(_dir, "pw");
        await File.WriteAllTextAsync(pwFile, Password, cancellationToken);
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _dir], cancellationToken);
        }

        await RunAsync(Path.Combine(_bin, "initdb"),
            ["-D", DataDirectory, "-U", SuperUser, "--pwfile", pwFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            cancellationToken);
        var conf = $"""
            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = '{_dir}'
            wal_level = {walLevel}
            max_replication_slots = 20
            max_wal_senders = 20
            max_connections = 100
            fsync = off
            full_page_writes = off
            shared_buffers = 128MB
            logging_collector = off
            """;
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), "\n" + conf + "\n", cancellationToken);
        await RunAsync(Path.Combine(_bin, "pg_ctl"),
            ["start", "-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(_dir, "server.log")], cancellationToken);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task RunAsync(string file, string[] args, CancellationToken cancellationToken, bool check = true)
    {
        var start = new ProcessStartInfo(IsRoot && file != "chown" ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot && file != "chown")
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr} {await stdout}");
        }
    }

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql: apt-get install -y postgresql");
    }

}
