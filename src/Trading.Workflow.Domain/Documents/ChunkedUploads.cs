using System.Text.Json;

namespace Trading.Workflow.Domain.Documents;

/// <summary>An unfinished chunked upload as its owner sees it: where to continue from.</summary>
public sealed record ChunkedUploadInfo(Guid Id, string FileName, long TotalBytes, long ReceivedBytes, int ChunkBytes, DateTimeOffset ExpiresAt);

/// <summary>What the server keeps of a chunked upload beside its bytes (a small JSON file next to the part file).</summary>
internal sealed record ChunkedUploadState(
    Guid Id, string Owner, string FileName, long TotalBytes, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, Guid? CentreId, Guid? ProjectId, Guid? SectionId,
    bool SealedCiphertext = false)
{
    public DocumentScope Scope => new(CentreId, ProjectId, SectionId);
}

/// <summary>
/// The part files of chunked uploads under the store's <c>uploads/</c> folder: <c>{id}.part</c> grows chunk by chunk
/// (its length is how far the upload got, so a resume asks the server, never trusts the client), <c>{id}.json</c>
/// says whose upload it is and what it is for. One writer per upload at a time (the part file is opened exclusively).
/// </summary>
internal sealed class ChunkedUploadFolder(string root)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Folder { get; } = Path.Combine(root, "uploads");

    public string PartPath(Guid id) => Path.Combine(Folder, $"{id:N}.part");

    private string StatePath(Guid id) => Path.Combine(Folder, $"{id:N}.json");

    public async Task CreateAsync(ChunkedUploadState state, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        await using (File.Create(PartPath(state.Id)))
        {
        }

        await File.WriteAllTextAsync(StatePath(state.Id), JsonSerializer.Serialize(state, Json), cancellationToken);
    }

    public async Task<ChunkedUploadState?> ReadAsync(Guid id, CancellationToken cancellationToken)
    {
        var path = StatePath(id);
        if (!File.Exists(path) || !File.Exists(PartPath(id)))
        {
            return null;
        }

        return JsonSerializer.Deserialize<ChunkedUploadState>(await File.ReadAllTextAsync(path, cancellationToken), Json);
    }

    public long Received(Guid id) => new FileInfo(PartPath(id)).Length;

    public void Delete(Guid id)
    {
        File.Delete(PartPath(id));
        File.Delete(StatePath(id));
    }

    /// <summary>Removes uploads past their expiry; returns how many.</summary>
    public int DeleteExpired(DateTimeOffset now)
    {
        if (!Directory.Exists(Folder))
        {
            return 0;
        }

        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json"))
        {
            try
            {
                var state = JsonSerializer.Deserialize<ChunkedUploadState>(File.ReadAllText(file), Json);
                if (state is not null && state.ExpiresAt <= now)
                {
                    Delete(state.Id);
                    removed++;
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // in use or unreadable: the next sweep tries again
            }
        }

        return removed;
    }
}
