using System.IO.Compression;
using MiniExcelLibs;
using Trading.Workflow.Web.Exports;

namespace Trading.Workflow.Web.Tests.Exports;

public sealed class SpreadsheetTests
{
    private static readonly SheetColumn[] Columns = [new("名称"), new("金额", CellKind.Money), new("时间", CellKind.Time), new("日期", CellKind.Date)];

    [Fact]
    public void Values_KeepTheirTypes_TimesInChinaStandardTime()
    {
        var bytes = Spreadsheet.Write([new SpreadsheetSheet("台账", Columns,
            [["甲公司", 1_000.5m, new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero), new DateOnly(2027, 1, 4)]])]);

        var rows = Query(bytes, "台账");
        Assert.Equal("名称", rows[0]["A"]);
        Assert.Equal(1_000.5, Assert.IsType<double>(rows[1]["B"]), 6);
        Assert.Equal(new DateTime(2027, 1, 1, 0, 0, 0), Assert.IsType<DateTime>(rows[1]["C"]));
        Assert.Equal(new DateTime(2027, 1, 4), Assert.IsType<DateTime>(rows[1]["D"]));
    }

    [Fact]
    public void TextThatLooksLikeAFormula_IsWrittenAsText_NeverAsAFormula()
    {
        var bytes = Spreadsheet.Write([new SpreadsheetSheet("s", [new SheetColumn("备注")], [["=HYPERLINK(\"http://x\",\"点我\")"]])]);

        using var zip = new ZipArchive(new MemoryStream(bytes));
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var xml = reader.ReadToEnd();
        Assert.DoesNotContain("<x:f", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<f>", xml, StringComparison.Ordinal);
        Assert.Equal("=HYPERLINK(\"http://x\",\"点我\")", Query(bytes, "s")[1]["A"]);
    }

    [Fact]
    public void SheetNames_ExcelRefuses_AreMadeValidAndUnique()
    {
        var sheet = new SpreadsheetSheet("退还/没收[指令]:一个超过三十一个字符的很长很长很长很长很长很长的工作表名称", [new SheetColumn("a")], []);

        var bytes = Spreadsheet.Write([sheet, sheet]);

        using var stream = new MemoryStream(bytes);
        var names = MiniExcel.GetSheetNames(stream);
        Assert.Equal(2, names.Count);
        Assert.All(names, n => Assert.True(n.Length <= 31 && n.IndexOfAny(['/', '[', ']', ':']) < 0, n));
        Assert.NotEqual(names[0], names[1]);
    }

    [Fact]
    public void ARowWithTheWrongNumberOfValues_IsRefused() =>
        Assert.Throws<ArgumentException>(() => Spreadsheet.Write([new SpreadsheetSheet("s", Columns, [["只有一个值"]])]));

    [Fact]
    public void TheFileName_CarriesTheChinaTime_AndNoCharacterAFileSystemRefuses() =>
        Assert.Equal("保证金台账-A_B-20270101-0005.xlsx", Spreadsheet.FileName("保证金台账-A/B", new DateTimeOffset(2026, 12, 31, 16, 5, 0, TimeSpan.Zero)));

    private static List<IDictionary<string, object>> Query(byte[] bytes, string sheet)
    {
        using var stream = new MemoryStream(bytes);
        return [.. MiniExcel.Query(stream, sheetName: sheet).Cast<IDictionary<string, object>>()];
    }
}
