using System.Net;
using System.Text.Json;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Notices;

/// <summary>The portal's open data on the real app: kinds by name in the API and in its OpenAPI description.</summary>
public sealed class PortalApiTests
{
    [Fact]
    public async Task PortalKinds_AreNamedInTheOpenApiDocument_AndAcceptedByName()
    {
        await using var factory = new PlatformFactory();
        using var client = factory.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        foreach (var (name, values) in new[]
        {
            (nameof(NoticeKind), Enum.GetNames<NoticeKind>()),
            ("CreditCategory", Enum.GetNames<Trading.Workflow.Domain.Credit.CreditCategory>()),
            ("CreditSubjectKind", Enum.GetNames<Trading.Workflow.Domain.Credit.CreditSubjectKind>()),
        })
        {
            var schema = schemas.GetProperty(name);
            Assert.Equal(values, schema.GetProperty("enum").EnumerateArray().Select(v => v.GetString()).ToArray());
        }

        var response = await client.GetAsync(new Uri($"/api/portal/notices?kind={NoticeKind.CandidatePublicity}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
