using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Trail;

namespace Trading.Workflow.Web.Kernel;

/// <summary>
/// What every app node of an installation must share, checked at start after the schema upgrade and before anything is
/// written: the first node records it (table <c>InstallationChecks</c>), a node that does not share it refuses to
/// start, saying what to share. Without this a node with a key or a folder of its own starts and works: its trail
/// records read as broken on the other nodes and in <c>verify-trail</c> (a trail that looks tampered with), the files
/// uploaded through it are missing on the others, and (with the file bank adapter) the refunds it instructs land in a
/// folder the bank does not read, where the other nodes, asking after them, find nothing and send them again.
/// </summary>
public static class InstallationChecks
{
    public const string TrailKey = "trail-key";
    public const string DocumentsFolder = "documents-folder";
    public const string BankInstructionFolder = "bank-instruction-folder";

    /// <summary>The documents folder's marker: a random token, the same as the recorded one in a folder of this installation.</summary>
    public const string MarkerFileName = ".installation";

    /// <summary>
    /// Records the id (never the key) of the node's current trail key when none is recorded; moves the record on when
    /// the node's ring holds the recorded key as a previous one (a key change being rolled out); refuses otherwise.
    /// </summary>
    public static async Task EnsureTrailKeyAsync(AppDbContext db, TrailKeyRing ring, TimeProvider time, CancellationToken cancellationToken = default)
    {
        if (ring.Current is not { } current)
        {
            return;
        }

        var now = time.GetUtcNow().UtcTicks;
        var recorded = await RecordOrReadAsync(db, TrailKey, current.Id, now, cancellationToken);
        if (recorded == current.Id)
        {
            return;
        }

        if (ring.Find(recorded) is not null)
        {
            await db.Database.ExecuteSqlAsync(
                $"""UPDATE "InstallationChecks" SET "Value" = {current.Id}, "SinceTicks" = {now} WHERE "Name" = {TrailKey} AND "Value" = {recorded}""",
                cancellationToken);
            return;
        }

        throw new InvalidOperationException(
            $"This node's trail key (id {current.Id}) is neither the key this installation's trail is written with (id {recorded}) " +
            "nor one of its previous keys: the records it wrote could not be verified. Every app node must use the same key: " +
            $"give the nodes one keys folder (Storage:KeysFolder, which holds {TrailKeyFile.FileName} and the sign-in key ring) " +
            "or the same Trail:HashKey; after changing the key, list the old one in Trail:PreviousHashKeys.");
    }

    /// <summary>
    /// Records the token of the documents folder's marker file (writing one into a folder without it) when none is
    /// recorded; refuses a folder whose marker is missing or differs.
    /// </summary>
    public static Task EnsureDocumentsFolderAsync(AppDbContext db, string folder, TimeProvider time, CancellationToken cancellationToken = default) =>
        EnsureSharedFolderAsync(db, DocumentsFolder, folder, "documents", "Documents:Folder", "the documents were lost", time, cancellationToken);

    /// <summary>
    /// The same for the folder the file bank adapter writes its signed instructions to (refunds, transfers), which the
    /// bank's pickup reads: one folder for the installation. The marker is not a <c>.json</c> instruction.
    /// </summary>
    public static Task EnsureBankInstructionFolderAsync(AppDbContext db, string folder, TimeProvider time, CancellationToken cancellationToken = default) =>
        EnsureSharedFolderAsync(db, BankInstructionFolder, folder, "bank instruction", "Deposits:InstructionFolder",
            "the bank has taken every instruction of the old folder", time, cancellationToken);

    private static async Task EnsureSharedFolderAsync(
        AppDbContext db, string check, string folder, string what, string setting, string whenToReplace, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var marker = Path.Combine(folder, MarkerFileName);
        var here = File.Exists(marker) ? (await File.ReadAllTextAsync(marker, cancellationToken)).Trim() : null;
        var recorded = await db.InstallationChecks.AsNoTracking().Where(c => c.Name == check).Select(c => c.Value).SingleOrDefaultAsync(cancellationToken);
        if (recorded is null)
        {
            here ??= await WriteMarkerAsync(marker, cancellationToken);
            recorded = await RecordOrReadAsync(db, check, here, time.GetUtcNow().UtcTicks, cancellationToken);
        }

        if (here == recorded)
        {
            return;
        }

        throw new InvalidOperationException(
            $"This node's {what} folder ({folder}) is not this installation's: " +
            (here is null ? $"it has no {MarkerFileName} file" : $"its {MarkerFileName} file holds {here}") +
            $", where the installation's holds {recorded}. Every app node must use one {what} folder ({setting}, on " +
            $"storage they all mount). If {whenToReplace} and this folder is to replace it, delete the row '{check}' " +
            "of the table InstallationChecks.");
    }

    private static async Task<string> WriteMarkerAsync(string marker, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        try
        {
            await using var stream = new FileStream(marker, FileMode.CreateNew, FileAccess.Write);
            await using var writer = new StreamWriter(stream);
            await writer.WriteAsync(token.AsMemory(), cancellationToken);
            return token;
        }
        catch (IOException) when (File.Exists(marker))
        {
            // Another node wrote it first: theirs stands.
            return (await File.ReadAllTextAsync(marker, cancellationToken)).Trim();
        }
    }

    /// <summary>Inserts the value unless one is recorded under the name; returns the recorded value.</summary>
    private static async Task<string> RecordOrReadAsync(AppDbContext db, string name, string value, long now, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "InstallationChecks" ("Name", "Value", "SinceTicks") VALUES ({name}, {value}, {now}) ON CONFLICT ("Name") DO NOTHING""",
            cancellationToken);
        return await db.InstallationChecks.AsNoTracking().Where(c => c.Name == name).Select(c => c.Value).SingleAsync(cancellationToken);
    }
}
