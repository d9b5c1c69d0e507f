using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Web.Configuration;

namespace Trading.Workflow.Web.Trail;

/// <summary>
/// Where the web host keeps the trail's key when <c>Trail:HashKey</c> is not configured: <c>trail-hash.key</c> in the keys
/// folder (<c>Storage:KeysFolder</c>, by default <c>&lt;data folder&gt;/keys</c>; base64, created at the first start with 32
/// random bytes, readable by the app's user only), next to the data-protection key ring and outside the database.
/// <c>Trading.Workflow.Cli verify-trail</c> reads the same file.
/// </summary>
public static class TrailKeyFile
{
    public const string FileName = "trail-hash.key";

    /// <summary>How long (ms) a start waits for another node to write the key into the file it has just created.</summary>
    private const int EmptyFileWait = 5_000;

    public static string PathIn(string keysFolder) => Path.Combine(keysFolder, FileName);

    /// <summary>The key in the file, created first when there is none; a file that holds no valid key throws naming it.</summary>
    public static TrailKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var created = new FileStream(path, options);
                using var writer = new StreamWriter(created);
                writer.Write(TrailKey.GenerateBase64());
            }
            catch (IOException) when (File.Exists(path))
            {
                // another node or process created it first: use theirs
            }
        }

        // A node that lost the race to create the file can find it before the winner has written the key (one write of
        // 44 characters): while it is empty, wait for the key rather than refuse to start.
        var deadline = Environment.TickCount64 + EmptyFileWait;
        while (new FileInfo(path).Length == 0 && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }

        return TrailKey.FromBase64(File.ReadAllText(path))
               ?? throw new InvalidOperationException($"{path} holds no trail key (base64 of at least {TrailKey.MinimumBytes} bytes).");
    }

    /// <summary>
    /// Binds section <c>Trail</c>; the ring's current key is <c>Trail:HashKey</c> or, when empty, the key file of the
    /// keys folder (created at first start), with <c>Trail:PreviousHashKeys</c> kept to verify older records.
    /// </summary>
    public static IServiceCollection AddPlatformTrailKey(this IServiceCollection services)
    {
        services.AddOptions<TrailOptions>().BindConfiguration(TrailOptions.SectionName)
            .Validate(o => string.IsNullOrWhiteSpace(o.HashKey) || TrailKey.FromBase64(o.HashKey) is not null,
                $"Trail:HashKey must be base64 of at least {TrailKey.MinimumBytes} random bytes.")
            .Validate(o => o.PreviousHashKeys.All(k => TrailKey.FromBase64(k) is not null),
                $"Trail:PreviousHashKeys must each be base64 of at least {TrailKey.MinimumBytes} bytes.")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TrailOptions>>().Value;
            var ring = TrailKeyRing.From(options);
            if (ring.Current is not null)
            {
                return ring;
            }

            var file = LoadOrCreate(PathIn(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveKeysFolder()));
            return new TrailKeyRing(file, options.PreviousHashKeys.Select(k => TrailKey.FromBase64(k)!));
        });
        return services;
    }
}
