using Trading.Workflow.Web.Trail;

namespace Trading.Workflow.Web.Tests.Trail;

public sealed class TrailKeyFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-trail-key-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void LoadOrCreate_FirstStart_CreatesAKeyOnlyTheOwnerReads_AndLaterStartsReadTheSameKey()
    {
        var path = TrailKeyFile.PathIn(_folder);

        var first = TrailKeyFile.LoadOrCreate(path);
        var second = TrailKeyFile.LoadOrCreate(path);

        Assert.Equal(Path.Combine(_folder, "trail-hash.key"), path);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(44, File.ReadAllText(path).Length); // base64 of 32 bytes
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    /// <summary>
    /// Nodes of a cluster starting together on one keys folder: none may read the file another is still writing (the
    /// two-node start test met "holds no trail key" that way), and all end with one key.
    /// </summary>
    [Fact]
    public async Task LoadOrCreate_ManyStartingAtOnce_AllGetTheOneKeyTheFileHolds()
    {
        for (var round = 0; round < 40; round++)
        {
            var path = TrailKeyFile.PathIn(Path.Combine(_folder, round.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            using var start = new Barrier(8);
            var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return TrailKeyFile.LoadOrCreate(path).Id;
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

            Assert.Single(keys.Distinct());
            Assert.Equal(TrailKeyFile.LoadOrCreate(path).Id, keys[0]);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
    }

    [Fact]
    public void LoadOrCreate_AFileWithoutAValidKey_ThrowsNamingTheFile()
    {
        var path = TrailKeyFile.PathIn(_folder);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "short");

        var error = Assert.Throws<InvalidOperationException>(() => TrailKeyFile.LoadOrCreate(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
