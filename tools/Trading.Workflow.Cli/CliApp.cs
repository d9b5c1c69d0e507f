using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Trading.Workflow.Cli.Bidding;
using Trading.Workflow.Cli.Export;
using Trading.Workflow.Cli.Simulation;
using Trading.Workflow.Cli.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Cli.Validation;

namespace Trading.Workflow.Cli;

/// <summary>The command line, with its output writers passed in so tests can run it in-process.</summary>
public static class CliApp
{
    public const string SimulateSummary = """
        Dry-runs a procedure: runs a scenario on the real engine (in memory) with a simulated clock.
        用模拟时钟在内存中试运行流程场景。
        """;

    /// <summary>Printed after the usual help of <c>simulate --help</c>.</summary>
    public const string SimulateDetails = """
        SCENARIO.json:
          {"files": ["a.bpmn", "b.bpmn"],            BPMN files, relative to the scenario file / 相对场景文件的路径
           "now": "2026-01-05T09:00:00+08:00",       optional start of the clock (this is the default) / 可选，时钟起点
           "steps": [
             {"start": "processId", "variables": {"amount": 150}, "businessKey": "optional"},
             {"complete": "task name or task definition id", "variables": {}},
             {"message": "message name", "correlationKey": "optional", "businessKey": "optional", "variables": {}},
             {"signal": "signal name", "variables": {}},
             {"advance": "PT1H5S"},
             {"expectTasks": ["Task A", "Task B"]},
             {"expectEnded": true},
             {"expectTimers": 0},
             {"complete": "Task X", "expectFailure": true}]}

        Steps / 步骤:
          start         starts the latest version of the process / 启动流程最新版本
          complete      completes the OLDEST open task whose name or definition id matches (creation
                        order; a fork creates its branches in the order of its outgoing flows) / 完成最早的匹配待办
          message       correlates a message by correlation key (or business key); with none waiting,
                        a process with that message start event starts / 按关联键投递消息
          signal        broadcasts a signal / 广播信号
          advance       moves the clock by an ISO 8601 duration; every timer due by then fires, in due
                        order, each at its own due time; async jobs run as the clock allows / 推进时钟并按到期顺序触发定时器
          expectTasks   names of ALL open user tasks, compared as a multiset (order does not matter) / 全部待办名称（多重集合比较）
          expectEnded   true: no instance is active (or suspended); false: at least one is / 是否全部实例已结束
          expectTimers  number of pending timers / 待触发定时器数量
          expectFailure on an action: it must be rejected and leave the state exactly as it was / 操作必须被拒绝且状态不变

        Timers fire only through advance. Service tasks whose handler the command line does not know run as
        no-ops and their name is logged on stderr. Variables use the engine's typed JSON: numbers are decimals,
        {"$date": "2026-01-01"}, {"$dateTime": "...+08:00"}, {"$duration": "P3D"}.
        定时器只在 advance 时触发；未知处理器的服务任务直接通过（名称记录在 stderr）。

        Output: one JSON line per step on stdout: index, step, ok, now, openTasks (oldest first),
        activeInstances, pendingTimers, nextTimerDue, firedTimers (advance), error (English) and errorZh
        (Chinese) when a step fails.
        Exit code: 0 every step held, 1 a step failed, 2 the scenario or a BPMN file cannot be used.
        退出码：0 全部通过，1 有步骤失败，2 场景或 BPMN 文件无法使用。
        """;

    public const string ValidateSummary = """
        Parses and validates BPMN files, one JSON line per file. 解析并校验 BPMN 文件。
        """;

    /// <summary>Printed after the usual help of <c>validate --help</c>.</summary>
    public const string ValidateDetails = """
        Prints one JSON line per file: file, parsed, error (the parse error, or null), valid,
        problems (severity, code, processId, elementId, message, messageZh). 每个文件输出一行 JSON。
        The files given together are validated as one set: a call activity may call an executable process of any
        of them, in any order; a process id defined twice in the set is an error. Service-task handler names
        are checked only when --handler is given.
        Exit code: 0 every file parsed and valid, 1 a file parsed but has errors, 2 a file could not be parsed.
        退出码：0 全部有效，1 有文件存在错误，2 有文件无法解析。
        """;

    public const string ExportSummary = """
        Imports a BPMN file as the platform does and writes it as the platform's export does (ids generated for
        elements without one are written back), then compares the two files: ids, kinds, names, references, diagram
        bounds and waypoints, foreign extensions. 按平台的导入和导出重写 BPMN 文件，并核对往返是否有丢失。
        One JSON line: file, out, written, processes, problems (from reading), kept, compared (counts),
        differenceCount, differences (lost/added lines, at most 50); error when it fails.
        Exit code: 0 written and kept, 1 written but something was lost or changed, 2 the input cannot be parsed or
        the output cannot be written. 退出码：0 已写出且无丢失，1 已写出但有差异，2 无法解析或写出。
        """;

    public const string VerifyBidsSummary = """
        Replays the online bidding logs (网络竞价日志) of a platform database, read only: every entry is re-derived
        by the bidding rules from the entries before it and must match, SM3 chain included; prints one JSON line per
        lot with the outcome the log alone leads to. Exit 0 all valid, 1 a log does not replay, 2 unusable input.
        重放竞价日志并校验 SM3 链与竞价规则，输出每个标的由日志推出的结果。
        """;

    public const string VerifyTrailSummary = """
        Verifies the tamper-evident trail (全程留痕) of a platform database, read only: the trade trail's chain
        (HMAC-SM3 under the trail key; SM3 for records from before the key) and every instance's engine history chain
        (SHA-256). One JSON line per chain: intact, records checked, and the first broken link (its sequence and why:
        ContentChanged, SequenceGap, PreviousHashMismatch, Truncated, Unkeyed, KeyUnavailable, PositionGap,
        TaskMissing, TaskChanged...). The trail key is read from --trail-key-file, or else from keys/trail-hash.key
        beside a SQLite database (the web host's data folder). 核验数据库中的交易操作日志与流程历史哈希链，报告第一处断裂。
        Exit code: 0 both chains intact, 1 a chain is broken, 2 the database cannot be read. 退出码：0 完整，1 有断裂，2 无法读取。
        """;

    /// <summary>Exit code of a command line that does not parse.</summary>
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = Build(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // (--help clears errors: it takes another action.) Usage errors exit 2 like unusable input, so they are never mistaken for "validated with problems" (1).
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync(error.Message);
            }

            await stderr.WriteLineAsync("Run with --help for usage. 用 --help 查看用法。");
            return UsageError;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
    }

    private static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var scenario = new Argument<string>("SCENARIO.json") { Description = "The scenario file / 场景文件" };
        var simulate = new Command("simulate", SimulateSummary) { scenario };
        simulate.SetAction((result, cancellationToken) =>
            ScenarioRunner.RunAsync(result.GetRequiredValue(scenario), stdout, stderr, cancellationToken));

        var files = new Argument<string[]>("FILE") { Description = "BPMN files / BPMN 文件", Arity = ArgumentArity.OneOrMore };
        var handlers = new Option<string[]>("--handler")
        {
            Description = "A service-task handler name the platform knows (repeatable); unknown handlers are then errors / 已注册的处理器名称（可重复）",
            AllowMultipleArgumentsPerToken = false,
        };
        var validate = new Command("validate", ValidateSummary) { files, handlers };
        validate.SetAction(result =>
        {
            var known = result.GetValue(handlers) is { Length: > 0 } names ? names.ToHashSet(StringComparer.Ordinal) : null;
            return ValidateCommand.Run(result.GetRequiredValue(files), known, stdout);
        });

        var input = new Argument<string>("IN.bpmn") { Description = "The BPMN file to import / 导入的 BPMN 文件" };
        var output = new Argument<string>("OUT.bpmn") { Description = "Where the export is written / 导出文件" };
        var export = new Command("export", ExportSummary) { input, output };
        export.SetAction(result => ExportCommand.Run(result.GetRequiredValue(input), result.GetRequiredValue(output), stdout));

        var provider = new Option<DatabaseProvider>("--provider") { Description = "Sqlite (default) or PostgreSql / 数据库类型", DefaultValueFactory = _ => DatabaseProvider.Sqlite };
        var connection = new Option<string>("--connection")
        {
            Description = "The connection string, e.g. \"Data Source=data/trading.db\" / 连接字符串",
            Required = true,
        };
        var trailKey = new Option<string?>("--trail-key-file")
        {
            Description = "The trail key file (base64), e.g. data/keys/trail-hash.key / 留痕密钥文件",
        };
        var verifyTrail = new Command("verify-trail", VerifyTrailSummary) { provider, connection, trailKey };
        verifyTrail.SetAction((result, cancellationToken) =>
            VerifyTrailCommand.RunAsync(result.GetValue(provider), result.GetRequiredValue(connection), result.GetValue(trailKey), stdout, stderr, cancellationToken));

        var lot = new Option<Guid?>("--lot") { Description = "One lot's id (default: every lot) / 竞价标的编号（默认全部）" };
        var verifyBids = new Command("verify-bids", VerifyBidsSummary) { provider, connection, lot };
        verifyBids.SetAction((result, cancellationToken) =>
            VerifyBidsCommand.RunAsync(result.GetValue(provider), result.GetRequiredValue(connection), result.GetValue(lot), stdout, stderr, cancellationToken));

        var root = new RootCommand("""
            Trading.Workflow command line: dry-run, check and round-trip BPMN procedures.
            交易平台流程命令行工具：试运行、校验和导出 BPMN 流程。
            Run 'simulate --help' for the scenario format. 场景格式见 simulate --help。
            """)
        {
            simulate,
            validate,
            export,
            verifyTrail,
            verifyBids,
        };

        // The scenario format is too long for a command summary: print it after the usual help of its command.
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new DetailedHelpAction((HelpAction)help.Action!, stdout, new Dictionary<Command, string>
        {
            [simulate] = SimulateDetails,
            [validate] = ValidateDetails,
        });
        return root;
    }

    private sealed class DetailedHelpAction(HelpAction inner, TextWriter output, IReadOnlyDictionary<Command, string> details) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exit = inner.Invoke(parseResult);
            if (details.TryGetValue(parseResult.CommandResult.Command, out var text))
            {
                output.WriteLine(text);
                output.WriteLine();
            }

            return exit;
        }
    }
}
