using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Evaluation;

/// <summary>The evaluation's rows on real databases (SQLite file, PostgreSQL): what is stored reads back the same and the rules hold across commands.</summary>
public sealed class EvaluationPersistenceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Method_IsTheTendereesOnly_AndLockedOnceTheEvaluationOpens(DatabaseProvider provider)
    {
        await using var world = await EvaluationWorld.StartAsync(provider, [1_000_000m, 1_020_000m, 1_040_000m]);
        Assert.Equal(EvaluationRules.NotAllowed, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            world.Evaluations.SetMethodAsync(world.Project.Id, EvaluationRulesTests.Scoring(), "bidder1"))).RuleCode);
        Assert.Equal(EvaluationRules.MethodRequired, (await Assert.ThrowsAsync<DomainRuleException>(world.OpenAsync)).RuleCode);

        await world.SetMethodAsync(EvaluationMethod.LowestPrice());
        await world.SetMethodAsync(EvaluationRulesTests.Scoring(BasePriceFormula.LowestValid, candidates: 2));
        var evaluation = await world.OpenAsync();

        var plan = (await world.Evaluations.PlanAsync(world.Project.Id))!;
        Assert.NotNull(plan.LockedAt);
        Assert.Equal(EvaluationRules.MethodLocked, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            world.Evaluations.SetMethodAsync(world.Project.Id, EvaluationMethod.LowestPrice(), "tenderee"))).RuleCode);
        var view = (await world.Evaluations.GetAsync(evaluation.Id))!;
        Assert.Equal((EvaluationMethodKind.ComprehensiveScoring, BasePriceFormula.LowestValid, 2, 2),
            (view.Evaluation.Method.Kind, view.Evaluation.Method.Formula, view.Evaluation.Method.CandidateCount, view.Evaluation.Method.Criteria.Count));
        var section = Assert.Single(view.Evaluation.Sections);
        Assert.Equal([1_000_000m, 1_020_000m, 1_040_000m], section.Bids.Select(b => b.Price));
        Assert.Equal(["BidLetter", "BillOfQuantities"], section.Bids[0].Items.Select(i => i.Kind));
        Assert.Equal(5, view.Active.Count());
        Assert.Equal(5, view.Sheets.Count);

        // Opening again (the procedure retried) returns the same evaluation.
        Assert.Equal(evaluation.Id, (await world.OpenAsync()).Id);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Open_CarriesEachBidsDepositFromTheSignedOpeningRecord_AndPassingAnUnpaidOneIsRefused(DatabaseProvider provider)
    {
        await using var world = await EvaluationWorld.StartAsync(provider, [1_000_000m, 1_020_000m, 1_040_000m], members: 3,
            deposits: ["Paid", "AwaitingPayment", "Guaranteed"]);
        await world.SetMethodAsync(EvaluationMethod.LowestPrice());
        var evaluation = await world.OpenAsync();
        var b = world.BidIds;

        var view = (await world.Evaluations.GetAsync(evaluation.Id))!;
        Assert.Equal(["Paid", "AwaitingPayment", "Guaranteed"], Assert.Single(view.Evaluation.Sections).Bids.Select(x => x.Deposit));
        Assert.Equal(EvaluationRules.DepositUnpaid, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            world.Evaluations.SaveDraftAsync("expert1", evaluation.Id, [EvaluationWorld.Pass(b[0]), EvaluationWorld.Pass(b[1])]))).RuleCode);
        Assert.Empty((await world.Evaluations.WorkbenchAsync("expert1", evaluation.Id)).View.Sheets.SelectMany(s => s.Reviews));

        foreach (var user in new[] { "expert1", "expert2", "expert3" })
        {
            await world.Evaluations.SubmitAsync(user, evaluation.Id,
                [EvaluationWorld.Pass(b[0]), EvaluationWorld.Reject(b[1], RejectionReason.NotResponsive), EvaluationWorld.Pass(b[2])]);
        }

        var outcome = Assert.Single((await world.AggregateAsync(evaluation.Id)).Outcomes);
        Assert.Equal((true, (int?)null), (outcome.Bids[1].Rejected, outcome.Bids[1].Rank));
        Assert.Equal([b[0], b[2]], outcome.Candidates(3).Select(c => c.BidId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task EvaluationStoredBeforeTheDepositWasCarried_Loads_AsNotStated_AndRefusesNoPass(DatabaseProvider provider)
    {
        await using var world = await EvaluationWorld.StartAsync(provider, [1_000_000m, 1_020_000m, 1_040_000m], members: 3, deposits: ["AwaitingPayment", "PartlyPaid", "Paid"]);
        await world.SetMethodAsync(EvaluationMethod.LowestPrice());
        var evaluation = await world.OpenAsync();
        // The row as an evaluation opened before this change left it: its bids' JSON has no deposit.
        await using (var db = world.Host.Database.Create())
        {
            var json = await db.Database.SqlQueryRaw<string>("SELECT sections AS \"Value\" FROM tr_evaluations").SingleAsync();
            Assert.Contains("\"deposit\":\"AwaitingPayment\"", json, StringComparison.Ordinal);
            var sections = JsonNode.Parse(json)!.AsArray();
            foreach (var bid in sections.SelectMany(s => s!["bids"]!.AsArray()))
            {
                Assert.True(bid!.AsObject().Remove("deposit"));
            }

            var old = sections.ToJsonString();
            Assert.Equal(1, await db.Database.ExecuteSqlAsync($"UPDATE tr_evaluations SET sections = {old}"));
        }

        var view = (await world.Evaluations.GetAsync(evaluation.Id))!;

        Assert.All(Assert.Single(view.Evaluation.Sections).Bids, bid => Assert.Null(bid.Deposit));
        await world.Evaluations.SaveDraftAsync("expert1", evaluation.Id, [.. world.BidIds.Select(b => EvaluationWorld.Pass(b))]);
        var (reread, member) = await world.Evaluations.WorkbenchAsync("expert1", evaluation.Id);
        Assert.All(reread.SheetOf(member)!.Reviews, r => Assert.Equal(QualificationVerdict.Pass, r.Verdict));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Draft_ReadsBack_SubmitLocks_ScoresHiddenFromTendereeUntilConfirmed(DatabaseProvider provider)
    {
        await using var world = await EvaluationWorld.StartAsync(provider, [1_000_000m, 1_020_000m, 1_040_000m], members: 3);
        await world.SetMethodAsync(EvaluationRulesTests.Scoring());
        var evaluation = await world.OpenAsync();
        var b = world.BidIds;

        await world.Evaluations.SaveDraftAsync("expert1", evaluation.Id,
            [EvaluationWorld.Pass(b[0], ("tech", 35.5m)), EvaluationWorld.Reject(b[1], RejectionReason.MultipleBidsOrPrices)]);
        var (view, member) = await world.Evaluations.WorkbenchAsync("expert1", evaluation.Id);
        var sheet = view.SheetOf(member)!;
        Assert.Equal((SheetState.Draft, 35.5m), (sheet.State, sheet.ReviewOf(b[0])!.Scores["tech"]));
        Assert.Equal(RejectionReason.MultipleBidsOrPrices, sheet.ReviewOf(b[1])!.Reason);
        Assert.Equal(EvaluationRules.ScoreOutOfRange, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            world.Evaluations.SaveDraftAsync("expert1", evaluation.Id, [EvaluationWorld.Pass(b[0], ("credit", 20.01m))]))).RuleCode);
        Assert.Equal(EvaluationRules.NotAMember, (await Assert.ThrowsAsync<DomainRuleException>(() => world.Evaluations.WorkbenchAsync("tenderee", evaluation.Id))).RuleCode);

        foreach (var user in new[] { "expert1", "expert2", "expert3" })
        {
            await world.Evaluations.SubmitAsync(user, evaluation.Id,
                [EvaluationWorld.Pass(b[0], ("tech", 35m), ("credit", 15m)), EvaluationWorld.Reject(b[1], RejectionReason.MultipleBidsOrPrices), EvaluationWorld.Pass(b[2], ("tech", 30m), ("credit", 12m))]);
        }

        Assert.Equal(EvaluationRules.SheetSubmitted, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            world.Evaluations.SaveDraftAsync("expert1", evaluation.Id, [EvaluationWorld.Pass(b[0])]))).RuleCode);
        view = (await world.Evaluations.GetAsync(evaluation.Id))!;
        var tenderee = new EvaluationActor("tenderee", [Domain.Accounts.PlatformRoles.Tenderee], null);
        var supervisor = new EvaluationActor("supervisor", [Domain.Accounts.PlatformRoles.Supervisor], null);
        var expert = new EvaluationActor("expert2", [Domain.Accounts.PlatformRoles.Expert], null);
        Assert.False(await world.Evaluations.MaySeeScoresAsync(tenderee, view));
        Assert.True(await world.Evaluations.MaySeeScoresAsync(supervisor, view));
        Assert.True(await world.Evaluations.MaySeeScoresAsync(expert, view));

        var aggregated = await world.AggregateAsync(evaluation.Id);
        Assert.Equal((EvaluationState.Reporting, "expert1"), (aggregated.State, aggregated.ChairUserName));
        Assert.Equal(EvaluationRules.SummaryRequired, (await Assert.ThrowsAsync<DomainRuleException>(() => world.Evaluations.WriteReportAsync("expert1", evaluation.Id, " "))).RuleCode);
        await world.Evaluations.WriteReportAsync("expert1", evaluation.Id, "推荐两名中标候选人。");
        await world.Evaluations.ConfirmAsync("expert1", evaluation.Id, ReportConfirmation.Agreed, null);
        Assert.Equal(EvaluationRules.ConfirmationsOutstanding, (await Assert.ThrowsAsync<DomainRuleException>(() => world.CloseAsync(evaluation.Id))).RuleCode);
        await world.Evaluations.ConfirmAsync("expert2", evaluation.Id, ReportConfirmation.Dissented, "第一名的工期偏长。");
        await world.Evaluations.ConfirmAsync("expert3", evaluation.Id, ReportConfirmation.RefusedWithoutReason, null);
        var closed = await world.CloseAsync(evaluation.Id);

        Assert.Equal((EvaluationState.Confirmed, 2), (closed.State, closed.CandidateCount));
        view = (await world.Evaluations.GetAsync(evaluation.Id))!;
        Assert.True(await world.Evaluations.MaySeeScoresAsync(tenderee, view));
        Assert.Equal("第一名的工期偏长。", view.Members.Single(m => m.UserName == "expert2").Dissent);
        Assert.Equal(EvaluationRules.NotAMember, (await Assert.ThrowsAsync<DomainRuleException>(() => world.Evaluations.WorkbenchAsync("expert1", evaluation.Id))).RuleCode);
        var outcome = Assert.Single(view.Evaluation.Outcomes);
        Assert.Equal(999_600m, outcome.BasePrice); // the two valid prices (1,000,000 and 1,040,000): average 1,020,000 × 0.98
        Assert.True(outcome.Bids[1].Rejected);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Replacement_VoidsTheSubmittedSheet_AndTheLaterConfirmedReplacementJoinsInTheSameSeat(DatabaseProvider provider)
    {
        await using var world = await EvaluationWorld.StartAsync(provider, [1_000_000m, 1_020_000m, 1_040_000m]);
        await world.SetMethodAsync(EvaluationMethod.LowestPrice());
        var evaluation = await world.OpenAsync();
        var b = world.BidIds;
        await world.Evaluations.SubmitAsync("expert3", evaluation.Id, [.. b.Select(id => EvaluationWorld.Pass(id))]);
        world.Committees.ConfirmReplacementsLater = true;
        var leaving = world.Committees.Members.Single(m => m.UserName == "expert3");
        var staff = EvaluationWorld.Staff(world.Project.CentreId);

        Assert.Equal(EvaluationRules.NotAllowed, (await Assert.ThrowsAsync<DomainRuleException>(() =>
            world.Evaluations.ReplaceMemberAsync(new EvaluationActor("tenderee", [Domain.Accounts.PlatformRoles.Tenderee], null), evaluation.Id, leaving.ExpertId, "回避"))).RuleCode);
        var view = await world.Evaluations.ReplaceMemberAsync(staff, evaluation.Id, leaving.ExpertId, "与投标人存在利害关系");

        var replaced = view.Members.Single(m => m.UserName == "expert3");
        Assert.Equal((MemberState.Replaced, SheetState.Voided), (replaced.State, view.SheetOf(replaced)!.State));
        Assert.Equal(4, view.Active.Count());
        Assert.Equal(EvaluationRules.SheetsOutstanding, (await Assert.ThrowsAsync<DomainRuleException>(() => world.AggregateAsync(evaluation.Id))).RuleCode);

        Assert.Equal([evaluation.Id], await world.Evaluations.AwaitingReplacementsAsync());
        world.Committees.ConfirmPending();
        view = await world.Evaluations.SyncMembersAsync(evaluation.Id);
        Assert.Empty(await world.Evaluations.AwaitingReplacementsAsync());
        var joined = view.Members.Single(m => m.UserName == "expertR1");
        Assert.Equal((MemberState.Active, replaced.Position, SheetState.Draft), (joined.State, joined.Position, view.SheetOf(joined)!.State));
        Assert.Equal(5, view.Active.Count());
        Assert.Equal(5, (await world.Evaluations.SyncMembersAsync(evaluation.Id)).Active.Count()); // idempotent

        foreach (var user in new[] { "expert1", "expert2", "expert4", "expert5", "expertR1" })
        {
            await world.Evaluations.SubmitAsync(user, evaluation.Id, [.. b.Select(id => EvaluationWorld.Pass(id))]);
        }

        var aggregated = await world.AggregateAsync(evaluation.Id);
        Assert.Equal([1, 2, 3], aggregated.Outcomes.Single().Candidates(3).Select(c => c.Rank!.Value));
        Assert.Equal(b, aggregated.Outcomes.Single().Candidates(3).Select(c => c.BidId));
        var actions = await world.TrailActionsAsync();
        Assert.Equal(1, actions.Count(a => a == "evaluation.member.replaced"));
        Assert.Equal(1, actions.Count(a => a == "evaluation.member.joined"));
    }
}
