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
