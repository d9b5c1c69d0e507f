using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Tests.Deposits;
using Trading.Workflow.Domain.Tests.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// The shipped <c>engineering-tender.bpmn</c> from the tender notice to the archive, on a real database with every part's
/// real handlers: sealed bids opened with the bidders' keys, the committee drawn and confirmed, five experts evaluating,
/// the candidates published, an objection answered, the award, the contract, the deposits refunded by timer and the
/// project archived.
/// </summary>
public sealed class EngineeringTenderFullProcedureTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task OpenTender_FromNoticeToArchive_EveryStageOnTheRealProcedure(DatabaseProvider provider)
    {
        var accounts = new Accounts();
        var bank = new DepositPersistenceTests.Bank_();
        await using var host = await TenderHost.StartAsync(provider, services =>
        {
            services.AddSingleton<IUserDirectory>(accounts);
            services.AddSingleton<INotificationRecipientDirectory>(accounts);
            services.AddSingleton<IPlatformDirectory>(accounts);
            services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(bank));
            services.Configure<DepositOptions>(o => o.Banks[BankCode] = new BankOptions { Name = "工商银行", Secret = BankSecret });
        }, realOpening: true);
        accounts.Add("tenderee", PlatformRoles.Tenderee);
        for (var i = 1; i <= 3; i++)
        {
            accounts.Add("bidder" + i, PlatformRoles.Bidder);
        }

        var (project, instanceId, section) = await OpenAsync(host);
        Assert.Equal(TenderStage.Opened, (await host.Tenders.FindAsync(project.Id))!.Stage);

        var (evaluationId, tasks) = await CommitteeOpensEvaluationAsync(host, accounts, project, instanceId);
        var evaluations = host.Services.GetRequiredService<EvaluationService>();

        // --- Five experts review and submit; the chair writes the report; every member confirms it (条例 53).
        var bids = (await evaluations.GetAsync(evaluationId))!.Evaluation.Sections.Single().Bids.Select(b => b.BidId).ToList();
        Assert.Equal(3, bids.Count);
        foreach (var task in tasks)
        {
            await evaluations.SubmitAsync(task.Assignee!, evaluationId, [.. bids.Select(b => new BidReview(b, QualificationVerdict.Pass, null, null, new Dictionary<string, decimal>()))]);
            await host.Engine.CompleteTaskAsync(task.Id, null, task.Assignee);
        }

        await ReportConfirmedAsync(host, instanceId, evaluationId, "三家投标人均通过评审，按经评审的最低投标价排序。");

        // The publicity reads the report through the command's transaction: the candidates are published in the command
        // of the last confirmation, with no job left for a worker (evaluationClose no longer needs asyncAfter).
        Assert.Empty(await host.Engine.GetJobsAsync(instanceId));
        Assert.Equal(0, await host.Engine.ExecuteDueJobsAsync());

        // --- Published at once for at least 3 日; an objection holds the procedure until the tenderee answers (条例 54).
        var awards = host.Services.GetRequiredService<AwardService>();
        var publicity = await awards.GetAsync(project.Id);
        Assert.NotNull(publicity);
        Assert.Equal(host.Bidders[0].Id, publicity!.Award.Candidates.Single(c => c.Rank == 1).EntityId);
        Assert.Empty(await host.OpenTaskElementsAsync(instanceId));
        var objection = await awards.RaiseObjectionAsync(project.Id, host.Bidders[2].Id, "第一名的项目经理在其他项目在岗。", TenderHost.Bidder(3));
        Assert.Equal(["aw_answerObjections"], await host.OpenTaskElementsAsync(instanceId));
        await host.AdvanceToAsync(publicity.Award.PublicityEndsAt.AddHours(1));
        Assert.Equal(["aw_answerObjections"], await host.OpenTaskElementsAsync(instanceId)); // no award while it is open
        await awards.AnswerObjectionAsync(objection.Id, "经核查，该项目经理已于开标前完成变更，异议不成立。", TenderHost.Tenderee);
        await CompleteAsync(host, instanceId, "aw_answerObjections", "tenderee");
        Assert.Equal(["aw_awardDecision"], await host.OpenTaskElementsAsync(instanceId));

        // --- Award (state-funded: rank 1), notices to all at once; contract and winner report.
        await awards.AwardAsync(project.Id, [new AwardChoice(section, host.Bidders[0].Id, null)], TenderHost.Tenderee);
        await CompleteAsync(host, instanceId, "aw_awardDecision", "tenderee");
        Assert.Equal(["aw_uploadContracts", "aw_winnerReport"], await host.OpenTaskElementsAsync(instanceId));
        var contract = await host.UploadAsync(project.Id, "施工合同（已签署）.pdf");
        await awards.UploadContractAsync(project.Id, section, contract, 232_500m, TenderHost.Tenderee); // 5% of the winning bid (at most 10%, 条例 58)
        await CompleteAsync(host, instanceId, "aw_uploadContracts", "tenderee");
        await awards.SubmitWinnerReportAsync(project.Id, await host.UploadAsync(project.Id, "招标投标情况书面报告.pdf"), TenderHost.Tenderee);
        await CompleteAsync(host, instanceId, "aw_winnerReport", "tenderee");

        // --- After the contract every deposit's refund is scheduled within 5 日 (条例 57); the project is archived and the
        // procedure ends without waiting for the bank. The archive is the engine's job: the tenderee's last step only
        // queued it, and the tender reads "archiving" until it runs.
        Assert.Equal(["archiveProject"], (await host.Engine.GetInstanceAsync(instanceId))!.ActiveElementIds);
        Assert.Null(await host.Services.GetRequiredService<ArchiveService>().FindAsync(project.Id));
        var tenders = host.Services.GetRequiredService<TenderService>();
        Assert.Equal(TenderProgress.Archiving, (await tenders.ProgressAsync([(await tenders.FindAsync(project.Id))!]))[project.Id]);
        Assert.Equal(1, await host.Engine.ExecuteDueJobsAsync());
        Assert.Equal(TenderProgress.Archived, (await tenders.ProgressAsync([(await tenders.FindAsync(project.Id))!]))[project.Id]);
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        Assert.Single(await TrailAsync(host, "engineering-construction.contracts.signed"));
        var variables = await host.Engine.GetVariablesAsync(instanceId);
        Assert.Equal(3m, Convert.ToDecimal(variables["depositRefundsScheduled"], System.Globalization.CultureInfo.InvariantCulture));
        var archive = (await host.Services.GetRequiredService<ArchiveService>().FindAsync(project.Id))!;
        Assert.Equal(archive.ManifestSm3, variables["archiveManifestSm3"]);
        var verified = await host.Services.GetRequiredService<ArchiveService>().VerifyStoredAsync(project.Id);
        Assert.True(verified.IsIntact);
        // Each member's own sheet and answer to the report, and the archive step's own record, are in the package and
        // hashed in its manifest.
        var sheets = verified.Package.Manifest!.Files.Where(f => f.Path.StartsWith("records/evaluation-sheets/", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, sheets.Count);
        Assert.All(sheets, f => Assert.StartsWith("evaluation-member:", f.Source, StringComparison.Ordinal));
        var step = Assert.Single(verified.Package.Manifest.Files, f => f.Path == "history/archive-step.json");
        Assert.Equal($"archive-step:{instanceId}:archiveProject", step.Source);
        Assert.True(await host.Services.GetRequiredService<ArchiveGuard>().IsArchivedAsync(project.Id));

        // The archive's trail and the supervisors' project filter find the project's records by its key: the same
        // records as a scan of every record for the project's id (subject or data) finds.
        await AssertTrailOfProjectAsync(host, project, archive);

        // --- The refund timer pays them through the bank, each with interest from payment to refund.
        host.Clock.Set(host.Clock.GetUtcNow().AddHours(1));
        Assert.Equal(3, await host.Services.GetRequiredService<DepositService>().RunDueRefundsAsync(10, CancellationToken.None));
        Assert.Equal(3, bank.Transfers.Count);
        await using (var db = host.Database.Database.Create())
        {
            var refunds = await db.Set<BankInstruction>().AsNoTracking().Where(i => i.SectionId == section).ToListAsync();
            Assert.Equal(3, refunds.Count);
            Assert.All(refunds, r => Assert.True(r.Principal == Deposit && r.Interest > 0m, $"{r.Principal} + {r.Interest}"));
        }
    }

    private static async Task AssertTrailOfProjectAsync(TenderHost host, Project project, ProjectArchive archive)
    {
        var id = project.Id.ToString();
        List<AuditEntry> scanned;
        long archived;
        await using (var db = host.Database.Database.Create())
        {
            scanned = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Data.Contains(id) || e.SubjectId == id).OrderByDescending(e => e.Sequence).ToListAsync();
            archived = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == "archive.project.archived" && e.SubjectId == id).Select(e => e.Sequence).SingleAsync();
        }

        Assert.True(scanned.Count > 80, $"{scanned.Count} records");
        var byCode = await host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditLogFilter(Project: project.Code), 0, 200);
        Assert.Equal(scanned.Select(e => (e.Sequence, Convert.ToHexString(e.Hash))), byCode.Items.Select(e => (e.Sequence, Convert.ToHexString(e.Hash))));
        Assert.Equal(scanned.Count, byCode.Total);

        // The package's history/trail.json holds every record before the archive's (its own upload and record come after
        // the package is written), each with its hash.
        await using var download = await host.Services.GetRequiredService<DocumentService>().OpenDownloadAsync(archive.PackageDocumentId, new DocumentActor("staff", [PlatformRoles.Staff], null));
        using var package = new MemoryStream();
        await download.CopyToAsync(package);
        using var zip = new System.IO.Compression.ZipArchive(package, System.IO.Compression.ZipArchiveMode.Read);
        using var trail = zip.GetEntry("history/trail.json")!.Open();
        var packed = System.Text.Json.JsonDocument.Parse(trail).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("sequence").GetInt64(), e.GetProperty("hash").GetString()!.ToUpperInvariant())).ToList();
        var packageDocument = archive.PackageDocumentId.ToString();
        Assert.Equal(scanned.Where(e => e.Sequence < archived && e.SubjectId != packageDocument).Select(e => (e.Sequence, Convert.ToHexString(e.Hash))).Reverse(), packed);
    }

    /// <summary>
    /// The third bidder did not pay the section's deposit by the deadline (its signed opening record says so): no member
    /// may pass its bid, every member rejects it as not responsive (条例 51 (六)), it is not ranked, and the tenderee
    /// cannot award it; the award goes to a bidder that paid.
    /// </summary>
    [Fact]
    public async Task OpenTender_ABidderWhoseDepositIsUnpaid_CannotPass_IsRejectedAndNotRanked_AndCannotBeAwarded()
    {
        var accounts = new Accounts();
        await using var host = await TenderHost.StartAsync(DatabaseProvider.Sqlite, services =>
        {
            services.AddSingleton<IUserDirectory>(accounts);
            services.AddSingleton<INotificationRecipientDirectory>(accounts);
            services.AddSingleton<IPlatformDirectory>(accounts);
            services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(new DepositPersistenceTests.Bank_()));
            services.Configure<DepositOptions>(o => o.Banks[BankCode] = new BankOptions { Name = "工商银行", Secret = BankSecret });
        }, realOpening: true);
        accounts.Add("tenderee", PlatformRoles.Tenderee);
        for (var i = 1; i <= 3; i++)
        {
            accounts.Add("bidder" + i, PlatformRoles.Bidder);
        }

        var (project, instanceId, section) = await OpenAsync(host, paying: 2);
        var (evaluationId, tasks) = await CommitteeOpensEvaluationAsync(host, accounts, project, instanceId);
        var evaluations = host.Services.GetRequiredService<EvaluationService>();
        var bids = (await evaluations.GetAsync(evaluationId))!.Evaluation.Sections.Single().Bids;
        var unpaid = bids.Single(b => b.EntityId == host.Bidders[2].Id);
        Assert.Equal(nameof(DepositState.AwaitingPayment), unpaid.Deposit);
        Assert.All(bids.Where(b => b != unpaid), b => Assert.Equal(nameof(DepositState.Paid), b.Deposit));

        foreach (var task in tasks)
        {
            var refused = await Assert.ThrowsAsync<DomainRuleException>(() => evaluations.SubmitAsync(task.Assignee!, evaluationId,
                [.. bids.Select(b => new BidReview(b.BidId, QualificationVerdict.Pass, null, null, new Dictionary<string, decimal>()))]));
            Assert.Equal(EvaluationRules.DepositUnpaid, refused.RuleCode);
            await evaluations.SubmitAsync(task.Assignee!, evaluationId, [.. bids.Select(b => b == unpaid
                ? new BidReview(b.BidId, QualificationVerdict.Reject, RejectionReason.NotResponsive, "开标记录：投标保证金未缴纳", new Dictionary<string, decimal>())
                : new BidReview(b.BidId, QualificationVerdict.Pass, null, null, new Dictionary<string, decimal>()))]);
            await host.Engine.CompleteTaskAsync(task.Id, null, task.Assignee);
        }

        await ReportConfirmedAsync(host, instanceId, evaluationId, "第三家投标人未按时缴纳投标保证金，否决其投标；其余两家按经评审的最低投标价排序。");

        var outcome = Assert.Single((await evaluations.GetAsync(evaluationId))!.Evaluation.Outcomes);
        var rejected = outcome.Bids.Single(b => b.BidId == unpaid.BidId);
        Assert.Equal((true, RejectionReason.NotResponsive, (int?)null), (rejected.Rejected, rejected.RejectionReason, rejected.Rank));
        var awards = host.Services.GetRequiredService<AwardService>();
        var publicity = (await awards.GetAsync(project.Id))!;
        Assert.Equal([host.Bidders[0].Id, host.Bidders[1].Id], publicity.Award.Candidates.OrderBy(c => c.Rank).Select(c => c.EntityId));
        await host.AdvanceToAsync(publicity.Award.PublicityEndsAt.AddHours(1));
        Assert.Equal(["aw_awardDecision"], await host.OpenTaskElementsAsync(instanceId));
        Assert.Equal(AwardRules.NotACandidate, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            awards.AwardAsync(project.Id, [new AwardChoice(section, host.Bidders[2].Id, null)], TenderHost.Tenderee))).RuleCode);
        var awarded = Assert.Single(await awards.AwardAsync(project.Id, [new AwardChoice(section, host.Bidders[0].Id, null)], TenderHost.Tenderee));
        Assert.Equal(host.Bidders[0].Id, awarded.WinnerEntityId);
    }

    internal const string BankCode = "icbc";
    internal const string BankSecret = "a-bank-secret-of-at-least-32-characters!";
    private const decimal Deposit = 90_000m;

    /// <summary>The section asks a deposit (≤2% of the estimate, 条例 26); each bidder (the first <paramref name="paying"/>) pays it from its basic account through the bank's signed callback.</summary>
    internal static async Task PayDepositsAsync(TenderHost host, Project project, int paying = 3)
    {
        var deposits = host.Services.GetRequiredService<DepositService>();
        var section = Assert.Single(project.Sections);
        await deposits.ConfigureSectionAsync(new SectionTerms(section.Id, section.Code, section.Subject, project.Id, project.Code, project.Name, project.CentreId,
            project.TradeType, Deposit, DepositForms.Transfer, host.Owner.Name, new DateOnly(2027, 3, 31)), "staff", CancellationToken.None);
        for (var i = 0; i < paying; i++)
        {
            var bidder = host.Bidders[i];
            var account = await deposits.OpenAccountAsync(section.Id, bidder.Id, bidder.Name, "bidder" + (i + 1), CancellationToken.None);
            var basic = bidder.Verified!.BasicAccount!;
            var body = BankCallbackBody.Deposit(new BankDeposit("ICBC-" + i, Deposit, bidder.Name, string.Concat(basic.AccountNumber.Where(char.IsAsciiDigit)), basic.Bank, account.Number, host.Clock.GetUtcNow()));
            var timestamp = host.Clock.GetUtcNow().ToUnixTimeSeconds();
            var signature = BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(BankSecret), timestamp, body);
            await deposits.HandleCallbackAsync(BankCode, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, body, CancellationToken.None);
        }
    }

    /// <summary>Eight experts of specialty A0101 in the pool; expert8 works for the first bidder (the draw must pass over it, 条例 46).</summary>
    internal static async Task RegisterExpertsAsync(TenderHost host, Accounts accounts)
    {
        var pool = host.Services.GetRequiredService<ExpertPoolService>();
        var staff = new ExpertsActor("staff", "staff", [PlatformRoles.Staff], null);
        for (var i = 1; i <= 8; i++)
        {
            accounts.Add("expert" + i, PlatformRoles.Expert);
            var employer = i == 8 ? new Employer(host.Bidders[0].Name, host.Bidders[0].Identifier) : new Employer($"演示设计研究院{i}", null);
            await pool.RegisterAsync("expert" + i, new ExpertProfile($"专家{i}", "13900000000", "高级工程师", ["A0101"], employer, false, [], []), staff);
        }
    }

    /// <summary>
    /// From the opened tender to the evaluation under way: the method (lowest evaluated price, 3 candidates), eight experts
    /// in the pool (expert8 works for the first bidder and is never drawn, 条例 46), the tenderee's draw of five, every
    /// drawn expert confirming, and the evaluation opening at the requested start with a workbench task for each member.
    /// </summary>
    internal static async Task<(Guid EvaluationId, IReadOnlyList<UserTaskInfo> Tasks)> CommitteeOpensEvaluationAsync(TenderHost host, Accounts accounts, Project project, Guid instanceId)
    {
        // --- The committee: no request yet, so the tenderee's task; the method first (the evaluation needs it).
        Assert.Equal(["requestCommittee"], await host.OpenTaskElementsAsync(instanceId));
        await host.Services.GetRequiredService<EvaluationService>().SetMethodAsync(project.Id, EvaluationMethod.LowestPrice(candidateCount: 3), "tenderee");
        await RegisterExpertsAsync(host, accounts);

        var committees = host.Services.GetRequiredService<CommitteeService>();
        var tenderee = new ExpertsActor("tenderee", "tenderee", [PlatformRoles.Tenderee], null);
        var evaluationStartsAt = host.Clock.GetUtcNow().AddDays(1);
        await committees.RequestAsync(new CommitteeRequest(project.Id, [new SpecialtyCount("A01", 5)], [], evaluationStartsAt), tenderee);
        await CompleteAsync(host, instanceId, "requestCommittee", "tenderee");
        Assert.Empty(await host.OpenTaskElementsAsync(instanceId));
        Assert.Contains(await host.Engine.GetSubscriptionsAsync(instanceId), s => s.ElementId == "committeeReady");

        // --- Each drawn expert confirms; the last confirmation sends experts.committee-confirmed, and the evaluation opens
        // at the requested start (the committee is complete a day early).
        var drawn = new List<string>();
        for (var i = 1; i <= 8; i++)
        {
            var expert = new ExpertsActor("expert" + i, "expert" + i, [PlatformRoles.Expert], null);
            foreach (var (invitation, _) in await committees.InvitationsOfAsync(expert))
            {
                drawn.Add(expert.UserName);
                await committees.RespondAsync(invitation.Id, true, null, expert);
            }
        }

        Assert.Equal(5, drawn.Count);
        Assert.DoesNotContain("expert8", drawn);
        Assert.Empty(await host.OpenTaskElementsAsync(instanceId));
        await host.AdvanceToAsync(evaluationStartsAt);
        var tasks = await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId });
        Assert.Equal(drawn.Order(StringComparer.Ordinal), tasks.Select(t => t.Assignee!).Order(StringComparer.Ordinal));
        Assert.All(tasks, t => Assert.Equal(("evaluation", "component:evaluation-workbench"), (t.ElementId, t.FormKey)));

        var evaluationId = Guid.Parse((string)(await host.Engine.GetVariablesAsync(instanceId))[EvaluationVariables.EvaluationId]!);
        return (evaluationId, tasks);
    }

    /// <summary>Every sheet is in: the chair writes the report with <paramref name="summary"/> and every member agrees (条例 53).</summary>
    internal static async Task ReportConfirmedAsync(TenderHost host, Guid instanceId, Guid evaluationId, string summary)
    {
        var evaluations = host.Services.GetRequiredService<EvaluationService>();
        var report = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }));
        Assert.Equal("writeReport", report.ElementId);
        await evaluations.WriteReportAsync(report.Assignee!, evaluationId, summary);
        await host.Engine.CompleteTaskAsync(report.Id, null, report.Assignee);
        foreach (var task in await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }))
        {
            Assert.Equal("confirmReport", task.ElementId);
            await evaluations.ConfirmAsync(task.Assignee!, evaluationId, ReportConfirmation.Agreed, null);
            await host.Engine.CompleteTaskAsync(task.Id, null, task.Assignee);
        }

    }

    internal static async Task CompleteAsync(TenderHost host, Guid instanceId, string elementId, string user)
    {
        var task = (await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Single(t => t.ElementId == elementId);
        await host.Engine.CompleteTaskAsync(task.Id, null, user);
    }

    /// <summary>
    /// Notice, documents and dates; the sale; three bidders obtain the documents and seal their bids; at the deadline the
    /// procedure opens by itself, each bidder decrypts with its own key, and the window's end closes the opening.
    /// </summary>
    /// <param name="paying">How many of the bidders pay their deposit (the section asks one when any does).</param>
    internal static async Task<(Project Project, Guid InstanceId, Guid SectionId)> OpenAsync(TenderHost host, bool payDeposits = true, int paying = 3)
    {
        var (project, instanceId) = await host.StartProjectAsync(201);
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        var boq = await host.UploadAsync(project.Id, "工程量清单.pdf");
        await host.Tenders.ScheduleAsync(project.Id, new TenderSchedule([document], boq, At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), TenderHost.Tenderee);
        await host.PublishNoticeAsync(project);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(At(11, 4, 10));

        var section = Assert.Single(project.Sections).Id;
        var prices = new[] { "4650000.00", "4720000.00", "4810000.00" };
        var keys = new List<SealedBidsHost.Bidder>();
        for (var i = 0; i < 3; i++)
        {
            await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[i].Id, TenderHost.Bidder(i + 1));
            keys.Add(await host.BidderKeyAsync(i));
            await host.SealAndSubmitAsync(project.Id, section, keys[i], prices[i]);
        }

        if (payDeposits)
        {
            await PayDepositsAsync(host, project, paying);
        }

        await host.AdvanceToAsync(At(11, 24, 9, 30));
        var openings = host.Services.GetRequiredService<OpeningService>();
        var session = (await openings.ForSectionAsync(section))!;
        Assert.Equal((OpeningState.Decrypting, 3), (session.State, session.BidCount));
        foreach (var bidder in keys)
        {
            var key = Convert.ToHexString(Sm2.Decrypt(bidder.Keys.PrivateKeyHex, await openings.WrappedKeyAsync(session.Id, bidder.EntityId)));
            var outcome = await openings.DecryptAsync(new DecryptionRequest(session.Id, bidder.EntityId, bidder.User, key));
            Assert.Equal(OpeningBidState.Decrypted, outcome.State);
        }

        await host.AdvanceToAsync(session.WindowEndsAt.AddMinutes(1));
        Assert.Equal(OpeningState.Closed, (await openings.ForSectionAsync(section))!.State);
        return (project, instanceId, section);
    }

    /// <summary>Accounts as the web's Identity directory would answer them (account id = user name, as the market entities' members).</summary>
    internal sealed class Accounts : IUserDirectory, INotificationRecipientDirectory, IPlatformDirectory
    {
        public Task<IReadOnlyList<Guid>> ParentsOfAsync(Guid centreId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<Guid>>([]);

        public Task<IReadOnlyList<Guid>> WithDescendantsAsync(Guid centreId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<Guid>>([centreId]);

        private readonly Dictionary<string, UserAccount> _accounts = new(StringComparer.Ordinal);

        public void Add(string userName, string role) =>
            _accounts[userName] = new UserAccount(userName, userName, "用户" + userName, null, "13900000000", [role], null, false);

        public Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default) =>
            Task.FromResult(_accounts.GetValueOrDefault(userName));

        public Task<IReadOnlyList<UserAccount>> FindByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([.. _accounts.Values.Where(a => accountIds.Contains(a.AccountId))]);

        public Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([.. _accounts.Values.Where(a => a.Roles.Contains(role)).OrderBy(a => a.UserName, StringComparer.Ordinal)]);

        public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new NotificationRecipient(userId, "zh-CN", null, "13900000000", userId));

        public async ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
            [.. (await InRoleAsync(role, centreId, cancellationToken)).Select(a => a.UserName)];
    }

    private static async Task<List<AuditEntry>> TrailAsync(TenderHost host, string action)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }
}
