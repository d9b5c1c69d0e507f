using System.Net;
using MiniExcelLibs;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Exports;

/// <summary>Signing in to the real app as a demo account (optionally in another language) and reading what an export returns.</summary>
internal static class ExportTestClient
{
    public static async Task<HttpClient> SignedInAsync(PlatformFactory factory, string user, string? culture = null)
    {
        _ = factory.Server;
        var client = factory.CreateNoRedirectClient();
        if (culture is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", $".AspNetCore.Culture=c={culture}|uic={culture}");
        }

        await client.SignInAsync(user);
        return client;
    }

    public static List<IDictionary<string, object>> Rows(byte[] workbook, string sheet)
    {
        using var stream = new MemoryStream(workbook);
        return [.. MiniExcel.Query(stream, sheetName: sheet).Cast<IDictionary<string, object>>()];
    }

    public static List<string> SheetNames(byte[] workbook)
    {
        using var stream = new MemoryStream(workbook);
        return MiniExcel.GetSheetNames(stream);
    }

    /// <summary>A signed-in user without the page's role is sent to the access-denied page, with no workbook.</summary>
    public static void AssertAccessDenied(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("AccessDenied", response.Headers.Location?.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(Trading.Workflow.Web.Exports.Spreadsheet.ContentType, response.Content.Headers.ContentType?.MediaType);
    }
}
