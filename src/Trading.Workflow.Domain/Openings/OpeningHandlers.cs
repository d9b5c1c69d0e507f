using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.Openings;

/// <summary>The process variables the opening's service tasks read and set.</summary>
public static class OpeningVariables
{
    /// <summary>In (optional): the section to open. Without it every section of the project (business key = project code).</summary>
    public const string SectionId = "sectionId";

    /// <summary>In (optional): the bid deadline as an ISO 8601 time; without it the moment the task runs.</summary>
    public const string BidDeadline = "bidDeadline";

    /// <summary>
    /// Out: bids Submitted at the deadline; with several sections the largest count, since a section below the minimum is
    /// re-tendered by itself while the others open. The gateway decides on it.
    /// </summary>
    public const string BidCount = "bidCount";

    /// <summary>Out: true when every section went to re-tender (fewer than the minimum bids), so nothing opens.</summary>
    public const string Retender = "retender";

    /// <summary>Out: the sessions started, comma-separated.</summary>
    public const string SessionIds = "openingSessionIds";

    /// <summary>Out: when the decryption window ends (ISO 8601, UTC), for a timer's timeDate.</summary>
    public const string WindowEnds = "decryptionWindowEnds";

    /// <summary>Out of <c>openingClose</c>: the SM3 of the signed record (of the first section).</summary>
    public const string RecordSm3 = "openingRecordSm3";
}

/// <summary>Messages the opening sends to the procedure that started it (business key = project code).</summary>
public static class OpeningMessages
{
    /// <summary>
    /// Every session the instance started is settled (the host closed the last one early): a procedure may wait for it
    /// beside the window's timer, on an event-based gateway, and go on to <c>openingClose</c> at once.
    /// </summary>
    public const string AllClosed = "openings.all-closed";
}

/// <summary>
/// <c>openingStart</c>, at the bid deadline: starts the opening of the section (or of every section of the project)
/// in the engine's command transaction, sets <c>bidCount</c> for the gateway and, below the minimum, records the
/// section for re-tender (<c>openings.session.retender</c>).
/// </summary>
public sealed class OpeningStartHandler(ITradingDatabase database) : IServiceTaskHandler
{
    public string Name => "openingStart";

    public string Description => "开标：投标截止时启动开标会并统计投标数 / Start the bid opening at the deadline and count the bids";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Resolved when the task runs: the opening needs the file stores, which a host without documents lacks.
        var openings = context.Services.GetRequiredService<OpeningService>();
        var db = database.For(context);
        DateTimeOffset? deadline = (context.TryGetVariable(OpeningVariables.BidDeadline, out var named) ? named : null) switch
        {
            DateTimeOffset value => value,
            DateTime value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
            string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
            _ => null,
        };
        var sessions = new List<OpeningSession>();
        foreach (var sectionId in await OpeningSections.OfAsync(db, context, context.CancellationToken))
        {
            sessions.Add(await openings.StartAsync(db, sectionId, deadline, context.InstanceId, context.CancellationToken));
        }

        // Each section below the minimum was settled as Retender on its own; the procedure goes on to the decryption
        // window while any section opens, so it decides on the largest count (a project of one section: its count).
        context.SetVariable(OpeningVariables.BidCount, sessions.Max(s => s.BidCount));
        context.SetVariable(OpeningVariables.Retender, sessions.All(s => s.State == OpeningState.Retender));
        context.SetVariable(OpeningVariables.SessionIds, string.Join(',', sessions.Select(s => s.Id)));
        context.SetVariable(OpeningVariables.WindowEnds, sessions.Max(s => s.WindowEndsAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        foreach (var session in sessions)
        {
            openings.Changes.Publish(session.Id);
        }
    }
}

/// <summary>
/// <c>openingClose</c>, at the end of the decryption window (or on <see cref="OpeningMessages.AllClosed"/>): closes each
/// session still decrypting (bids not decrypted fail), signs its record and publishes it. A session the host already
/// closed is left as it is, so running it after the host closed every session changes nothing. Run before the window's
/// end with bids still pending, it fails (the engine retries) rather than cut the window short.
/// </summary>
public sealed class OpeningCloseHandler(ITradingDatabase database) : IServiceTaskHandler
{
    public string Name => "openingClose";

    public string Description => "开标：解密时间结束，生成并签名开标记录 / Close the decryption window, sign and publish the opening record";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Resolved when the task runs: the opening needs the file stores, which a host without documents lacks.
        var openings = context.Services.GetRequiredService<OpeningService>();
        var db = database.For(context);
        string? sm3 = null;
        foreach (var sectionId in await OpeningSections.OfAsync(db, context, context.CancellationToken))
        {
            var session = await db.Set<OpeningSession>().SingleOrDefaultAsync(s => s.SectionId == sectionId, context.CancellationToken)
                          ?? throw new DomainRuleException(OpeningRules.NotFound, $"The opening of section {sectionId} was never started.");
            if (session.State == OpeningState.Decrypting)
            {
                var record = await openings.CloseAsync(db, session, OpeningActors.Platform, context.CancellationToken);
                sm3 ??= record.Sm3;
                openings.Changes.Publish(session.Id);
            }
            else if (session.State == OpeningState.Closed)
            {
                sm3 ??= await db.Set<OpeningRecord>().Where(r => r.SessionId == session.Id).Select(r => r.Sm3).SingleOrDefaultAsync(context.CancellationToken);
            }
        }

        context.SetVariable(OpeningVariables.RecordSm3, sm3);
    }
}

internal static class OpeningSections
{
    public static async Task<IReadOnlyList<Guid>> OfAsync(TradingDbContext db, ServiceTaskContext context, CancellationToken cancellationToken)
    {
        // Optional: the engine throws for a variable the instance never set (engineering-tender.bpmn names none).
        var named = context.TryGetVariable(OpeningVariables.SectionId, out var value) ? value : null;
        if (named is Guid id)
        {
            return [id];
        }

        if (named?.ToString() is { Length: > 0 } text)
        {
            return Guid.TryParse(text, out var parsed)
                ? [parsed]
                : throw new DomainRuleException(OpeningRules.SectionRequired, $"'{text}' is not a section id.");
        }

        var code = context.BusinessKey;
        var sections = await db.Set<Project>().AsNoTracking().Where(p => p.Code == code)
            .SelectMany(p => p.Sections).OrderBy(s => s.Number).Select(s => s.Id).ToListAsync(cancellationToken);
        return sections.Count > 0
            ? sections
            : throw new DomainRuleException(OpeningRules.SectionRequired, "The opening needs a sectionId variable or a project code as business key.");
    }
}
