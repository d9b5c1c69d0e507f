using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.Archive;

/// <summary>
/// The close-out handlers as a procedure runs them (real engine, real database): each in the engine's command
/// transaction, named as docs/closeout.md tells the BPMN to name them.
/// </summary>
public sealed class CloseoutHandlersTests
{
    private const string Procedure = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="closeout-test" targetNamespace="http://trading.workflow/test">
          <bpmn:process id="test.closeout" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:serviceTask id="scheduleDepositRefunds" tw:handler="deposits.scheduleContractRefunds"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
            <bpmn:serviceTask id="printOpeningRecord" tw:handler="printing.issueOpeningRecord"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:serviceTask>
            <bpmn:serviceTask id="archiveProject" tw:handler="archive.archiveProject"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:serviceTask>
            <bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="scheduleDepositRefunds" />
            <bpmn:sequenceFlow id="f2" sourceRef="scheduleDepositRefunds" targetRef="printOpeningRecord" />
            <bpmn:sequenceFlow id="f3" sourceRef="printOpeningRecord" targetRef="archiveProject" />
            <bpmn:sequenceFlow id="f4" sourceRef="archiveProject" targetRef="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Procedure_SchedulesRefundsPrintsAndArchives_InItsOwnCommands(DatabaseProvider provider)
    {
        await using var host = await ProjectsHost.StartAsync(provider);
        var project = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
        await host.Engine.DeployAsync(BpmnParser.Parse(Procedure));

        var instance = await host.Engine.StartAsync(new StartInstanceRequest("test.closeout") { BusinessKey = project.Code });

        var variables = await host.Engine.GetVariablesAsync(instance.Id);
        Assert.Equal(0, Convert.ToInt32(variables[DepositVariables.RefundsScheduled], System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(variables[DepositVariables.RefundsDueAt]);
        Assert.Equal(string.Empty, variables[PrintingVariables.OpeningRecordDocumentIds]);
        var archives = host.Database.Services.GetRequiredService<ArchiveService>();
        var archive = await archives.FindAsync(project.Id);
        Assert.NotNull(archive);
        Assert.Equal(archive.PackageDocumentId.ToString(), variables[ArchiveVariables.PackageDocumentId]);
        Assert.Equal(archive.ManifestSm3, variables[ArchiveVariables.ManifestSm3]);
        Assert.Equal(instance.Id.ToString(), archive.InstanceId);
        var verification = await archives.VerifyStoredAsync(project.Id);
        Assert.True(verification.IsIntact);
        Assert.Contains(verification.Package.Manifest!.Files, f => f.Path == "history/engine-history.json");
        Assert.True(await host.Database.Services.GetRequiredService<ArchiveGuard>().IsArchivedAsync(project.Id));
    }
}
