using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Openings;

/// <summary>
/// Openings on real databases (SQLite file, PostgreSQL) with real ciphertext files: start at the deadline, bidders'
/// decryption with retries and failures of both kinds, the close with a signed record published on the portal, and
/// objections answered on the spot.
/// </summary>
public sealed class OpeningPersistenceTests
{
    private static readonly DateTimeOffset Deadline = new(2026, 12, 2, 1, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ThreeBids_RetryAndFailures_CloseSignsAndPublishesTheRecordOfTheDecryptedLetters(DatabaseProvider provider)
    {
        await using var world = await OpeningWorld.StartAsync(provider);
        var a = await world.SealAsync("演示建设集团有限公司", "8450000.50", 280);
        var b = await world.SealAsync("演示路桥工程有限公司", "8100000.00", 300);
        var c = await world.SealAsync("演示市政工程有限公司", "8300000.00", 290);
        var session = await world.StartAsync();
        Assert.Equal((OpeningState.Decrypting, 3), (session.State, session.BidCount));

        world.Clock.Advance(TimeSpan.FromMinutes(2));
        var opened = await world.Openings.DecryptAsync(new(session.Id, a.EntityId, "bidder", a.KeyHex));
        var wrong = await world.Openings.DecryptAsync(new(session.Id, b.EntityId, "bidder2", Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
        var retried = await world.Openings.DecryptAsync(new(session.Id, b.EntityId, "bidder2", b.KeyHex));

        Assert.Equal((OpeningBidState.Decrypted, true), (opened.State, opened.Settled));
        Assert.Equal((OpeningBidState.Pending, DecryptFault.Bidder, false), (wrong.State, wrong.Fault, wrong.Settled));
        // A random key fails the SM4 padding 255 times in 256; otherwise it decrypts to bytes whose SM3 is not the signed one.
        Assert.Contains(wrong.Cause, new DecryptFailureCause?[] { DecryptFailureCause.WrongKey, DecryptFailureCause.DigestMismatch });
        Assert.Equal((OpeningBidState.Decrypted, 2), (retried.State, retried.Attempts));
        Assert.Equal("Opened", world.Box.States[a.BidId]);
        Assert.Equal(OpeningRules.AlreadySettled, (await Assert.ThrowsAsync<DomainRuleException>(() => world.Openings.DecryptAsync(new(session.Id, a.EntityId, "bidder", a.KeyHex)))).RuleCode);
        Assert.Equal(OpeningRules.CloseEarlyNeedsAll, (await Assert.ThrowsAsync<DomainRuleException>(() => world.Openings.CloseByHostAsync(session.Id, "staff"))).RuleCode);

        world.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(OpeningRules.WindowClosed, (await Assert.ThrowsAsync<DomainRuleException>(() => world.Openings.DecryptAsync(new(session.Id, c.EntityId, "bidder3", c.KeyHex)))).RuleCode);
        var record = await world.CloseAsync(session.Id);

        Assert.True(record.Verify());
        var content = record.Content;
        Assert.Equal(["演示建设集团有限公司", "演示路桥工程有限公司"], content.Entries.Select(e => e.Bidder));
        Assert.Equal(["8450000.50", "8100000.00"], content.Entries.Select(e => e.Price));
        Assert.Equal([280, 300], content.Entries.Select(e => e.DurationDays));
        Assert.Equal(1, content.NotOpened);
        Assert.Equal("DecryptFailed:WindowClosed", world.Box.States[c.BidId]);
        var view = (await world.Openings.GetAsync(session.Id))!;
        Assert.Equal((OpeningState.Closed, false), (view.Session.State, view.Session.ClosedEarly));
        var failed = view.Bids.Single(x => x.EntityId == c.EntityId);
        Assert.Equal((DecryptFailureCause.WindowClosed, DecryptFault.Bidder, DepositConsequence.MayBeKept), (failed.LastCause, failed.Fault, failed.Consequence));
        Assert.Equal(record.Sm3, view.Record!.Sm3);
        Assert.Equal((await world.Openings.PlatformKeyAsync()).PublicKeyHex, record.PublicKeyHex);

        var notice = (await world.Services.GetRequiredService<NoticeService>().GetAsync(record.NoticeId!.Value))!;
        Assert.Equal((NoticeKind.OpeningRecord, NoticeState.Published), (notice.Kind, notice.State));
        Assert.True(notice.BodyHtml.Contains(record.Sm3, StringComparison.Ordinal), notice.BodyHtml);
        // The notice shows the signed codes and prices as people read them (the record keeps them as signed).
        Assert.Contains("<td>8,450,000.50</td>", notice.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("<td>无需缴纳 / None required</td>", notice.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>None</td>", notice.BodyHtml, StringComparison.Ordinal);
        Assert.Equal(["None", "None"], content.Entries.Select(e => e.Deposit));
        Assert.DoesNotContain("演示市政工程有限公司", notice.BodyHtml, StringComparison.Ordinal);

        // The plaintext is kept, and nobody reads it yet: not the host, not the tenderee, not an administrator.
        var letterItem = a.Items.Single(i => i.IsBidLetter);
        Assert.True(world.Services.GetRequiredService<OpenedBidStore>().Exists(letterItem.PlaintextSm3));
        foreach (var user in new[] { ("staff", PlatformRoles.Staff), ("tenderee", PlatformRoles.Tenderee), ("admin", PlatformRoles.Administrator) })
        {
            var principal = new ProjectPrincipal(user.Item1, [user.Item2], world.CentreId, []);
            Assert.Equal(OpeningRules.NotAllowed, (await Assert.ThrowsAsync<DomainRuleException>(() => world.Openings.OpenedItemsAsync(principal, a.BidId))).RuleCode);
        }

        var actions = await world.TrailAsync();
        Assert.Equal(
            ["openings.session.started", "openings.bid.decrypted", "openings.bid.decrypt-attempt-failed", "openings.bid.decrypted",
             "openings.bid.decrypt-failed", "openings.session.closed", "openings.record.signed", "notices.notice.published"],
            actions.Select(e => e.Action));
        Assert.All(actions, e => Assert.Contains(world.SectionId.ToString(), e.Data, StringComparison.OrdinalIgnoreCase));

        await using var db = world.Database.Create();
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE tr_opening_records SET sm3 = 'x'"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task TwoBids_GoToRetender_RecordedAndNothingOpened(DatabaseProvider provider)
    {
        await using var world = await OpeningWorld.StartAsync(provider);
        var a = await world.SealAsync("演示建设集团有限公司", "8450000.50", 280);
        await world.SealAsync("演示路桥工程有限公司", "8100000.00", 300);

        var session = await world.StartAsync();
        var again = await world.StartAsync();

        Assert.Equal((OpeningState.Retender, 2, session.Id), (session.State, session.BidCount, again.Id));
        Assert.Empty((await world.Openings.GetAsync(session.Id))!.Bids);
        Assert.Equal(OpeningRules.NotDecrypting, (await Assert.ThrowsAsync<DomainRuleException>(() => world.Openings.DecryptAsync(new(session.Id, a.EntityId, "bidder", a.KeyHex)))).RuleCode);
        Assert.Equal(["openings.session.retender"], (await world.TrailAsync()).Select(e => e.Action));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task PlatformFault_SettlesAtOnce_DigestMismatchMayRetry_OthersGoOn_ObjectionsAnswered(DatabaseProvider provider)
    {
        await using var world = await OpeningWorld.StartAsync(provider);
        var damaged = await world.SealAsync("演示建设集团有限公司", "8450000.50", 280);
        var mismatched = await world.SealAsync("演示路桥工程有限公司", "8100000.00", 300, lieAboutLetterDigest: true);
        var fine = await world.SealAsync("演示市政工程有限公司", "8300000.00", 290);
        var session = await world.StartAsync();
        world.DamageCiphertext(damaged.Items.Single(i => !i.IsBidLetter));

        var platform = await world.Openings.DecryptAsync(new(session.Id, damaged.EntityId, "bidder", damaged.KeyHex));
        var digest = await world.Openings.DecryptAsync(new(session.Id, mismatched.EntityId, "bidder2", mismatched.KeyHex));
        var ok = await world.Openings.DecryptAsync(new(session.Id, fine.EntityId, "bidder3", fine.KeyHex));

        Assert.Equal((OpeningBidState.Failed, DecryptFailureCause.CiphertextDamaged, DecryptFault.Platform, true), (platform.State, platform.Cause, platform.Fault, platform.Settled));
        Assert.Equal("DecryptFailed:CiphertextDamaged", world.Box.States[damaged.BidId]);
        Assert.Equal((OpeningBidState.Pending, DecryptFailureCause.DigestMismatch, DecryptFault.Bidder), (digest.State, digest.Cause, digest.Fault));
        Assert.Equal(OpeningBidState.Decrypted, ok.State);

        var objection = await world.Openings.RaiseObjectionAsync(session.Id, fine.EntityId, "bidder3", "演示建设集团的解密失败应查明原因");
        Assert.Equal(OpeningRules.NotABidder, (await Assert.ThrowsAsync<DomainRuleException>(() => world.Openings.RaiseObjectionAsync(session.Id, Guid.NewGuid(), "someone", "异议"))).RuleCode);
        await world.Openings.AnswerObjectionAsync(objection.Id, "staff", "平台存储故障，按投标截止前撤回处理，保证金退还");

        var view = (await world.Openings.GetAsync(session.Id))!;
        var answered = Assert.Single(view.Objections);
        Assert.Equal(("bidder3", "staff"), (answered.RaisedBy, answered.AnsweredBy));
        Assert.Equal(DepositConsequence.Refund, view.Bids.Single(x => x.EntityId == damaged.EntityId).Consequence);
        var actions = (await world.TrailAsync()).Select(e => e.Action).ToList();
        Assert.Contains("openings.objection.raised", actions);
        Assert.Contains("openings.objection.answered", actions);
    }
}

/// <summary>A database with one engineering project and its section, a file store, the opening's services and a clock at the deadline.</summary>
internal sealed class OpeningWorld : IAsyncDisposable
{
    private readonly TradingDatabaseHost _host;
    private readonly string _files;

    private OpeningWorld(TradingDatabaseHost host, string files, OpeningClock clock, Guid sectionId, Guid centreId, string projectCode)
    {
        _host = host;
        _files = files;
        Clock = clock;
        SectionId = sectionId;
        CentreId = centreId;
        ProjectCode = projectCode;
    }

    public OpeningClock Clock { get; }

    public Guid SectionId { get; }

    public Guid CentreId { get; }

    public string ProjectCode { get; }

    public IServiceProvider Services => _host.Services;

    public Domain.Persistence.ITradingDatabase Database => _host.Database;

    public OpeningService Openings => _host.Services.GetRequiredService<OpeningService>();

    public InMemorySealedBidBox Box => (InMemorySealedBidBox)_host.Services.GetRequiredService<ISealedBidBox>();

    /// <param name="configure">Adds what a test needs beyond the opening (e.g. the engine).</param>
    /// <param name="demoCentre">With a value, the project's centre is registered, of demo data or not.</param>
    public static async Task<OpeningWorld> StartAsync(DatabaseProvider provider, Action<IServiceCollection>? configure = null, bool? demoCentre = null)
    {
        var files = Path.Combine(Path.GetTempPath(), "tw-open-" + Guid.NewGuid().ToString("N"), "files");
        var clock = new OpeningClock(Deadline);
        var host = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddSingleton(new DocumentStorage(files));
            services.AddSingleton<ISealedBidBox, InMemorySealedBidBox>();
            configure?.Invoke(services);
        }, clock);
        var centre = demoCentre is { } demo ? await TestCentres.AddAsync(host.Database, provider, demo) : Guid.NewGuid();
        var project = Project.Register("530100-GC-2026-00017", centre, TradeTypes.EngineeringConstruction,
            new ProjectDetails(TradeMethods.OpenTender, "演示学校教学楼新建工程", new PartyRef(Guid.NewGuid(), "演示市第一中学"), null, null, true, "530102", "房屋建筑"),
            [new SectionDraft("施工", 8_600_000m)], "tenderee", Deadline.AddDays(-30));
        await using (var db = host.Database.Create())
        {
            db.Add(project);
            await db.SaveChangesAsync();
        }

        return new OpeningWorld(host, files, clock, project.Sections[0].Id, centre, project.Code);
    }

    public static DateTimeOffset Deadline => new(2026, 12, 2, 1, 30, 0, TimeSpan.Zero);

    /// <summary>A bid sealed the way the browser seals it: a letter and a document, each SM4-CBC under one content key.</summary>
    public async Task<SealedTestBid> SealAsync(string bidder, string price, int days, bool lieAboutLetterDigest = false)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var letter = Encoding.UTF8.GetBytes($$"""{ "price": "{{price}}", "durationDays": {{days}}, "quality": "合格", "remarks": "" }""");
        var document = RandomNumberGenerator.GetBytes(70_000);
        var items = new List<SealedBidItemView>();
        foreach (var (name, kind, plaintext) in new[] { ("投标函.json", "BidLetter", letter), ("技术标.pdf", "Document", document) })
        {
            var ciphertext = OpeningCrypto.Encrypt(key, plaintext);
            var documentId = await StoreCiphertextAsync(ciphertext, name + ".sm4");
            var plainSm3 = lieAboutLetterDigest && kind == "BidLetter" ? OpeningCrypto.Sm3([.. plaintext, 0x20]) : OpeningCrypto.Sm3(plaintext);
            items.Add(new SealedBidItemView(name, kind, documentId, OpeningCrypto.Sm3(ciphertext), plainSm3, plaintext.Length));
        }

        var view = new SealedBidView(Guid.NewGuid(), Guid.NewGuid(), Guid.Empty, SectionId, Guid.NewGuid(), bidder, 1, Clock.GetUtcNow().AddHours(-48 + Box.States.Count), items);
        Box.Add(view);
        return new SealedTestBid(view.BidId, view.EntityId, Convert.ToHexString(key), items);
    }

    private async Task<Guid> StoreCiphertextAsync(byte[] ciphertext, string name)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(ciphertext));
        var path = Path.Combine(_files, sha[..2], sha[2..4], sha);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, ciphertext);
        var document = new Document(Guid.NewGuid(), new StoredFile(sha, OpeningCrypto.Sm3(ciphertext), ciphertext.Length, FileKind.Unknown, "application/octet-stream", name),
            "bidder", Clock.GetUtcNow(), CentreId, null, SectionId);
        await using var db = _host.Database.Create();
        db.Add(document);
        await db.SaveChangesAsync();
        return document.Id;
    }

    public void DamageCiphertext(SealedBidItemView item)
    {
        using var db = _host.Database.Create();
        var sha = db.Set<Document>().AsNoTracking().Single(d => d.Id == item.CiphertextDocumentId).Sha256;
        var path = Path.Combine(_files, sha[..2], sha[2..4], sha);
        var bytes = File.ReadAllBytes(path);
        bytes[^20] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>What the procedure's <c>openingStart</c> does, in a transaction of its own.</summary>
    public async Task<OpeningSession> StartAsync()
    {
        await using var db = _host.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        var session = await Openings.StartAsync(db, SectionId, Deadline, null, default);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return session;
    }

    /// <summary>What the procedure's <c>openingClose</c> does at the window's end.</summary>
    public async Task<OpeningRecord> CloseAsync(Guid sessionId)
    {
        await Openings.PlatformKeyAsync();
        await using var db = _host.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        var session = await db.Set<OpeningSession>().SingleAsync(s => s.Id == sessionId);
        var record = await Openings.CloseAsync(db, session, OpeningActors.Platform, default);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return record;
    }

    public async Task<List<AuditEntry>> TrailAsync()
    {
        await using var db = _host.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.SubjectType == "opening" || e.SubjectType == "notice").OrderBy(e => e.Sequence).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        try
        {
            Directory.Delete(Path.GetDirectoryName(_files)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed record SealedTestBid(Guid BidId, Guid EntityId, string KeyHex, IReadOnlyList<SealedBidItemView> Items);

internal sealed class OpeningClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
