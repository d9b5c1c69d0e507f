using System.Text;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Market;

/// <summary>
/// Demo market entities, verified by the demo staff account: the construction company the demo <c>bidder</c> acts for
/// and administers, a second bidder company with <c>bidder2</c>, a third with <c>bidder3</c>, the demo <c>tenderee</c>'s city investment company,
/// an agency with <c>agency</c>, and a natural person with <c>buyer</c>. Every name is labelled demo data, every credit
/// code passes the GB 32100 check, every legal representative's ID number is a <see cref="DemoResidentId"/>, and the
/// certificate scans are one generated PDF saying it is demo data.
/// </summary>
public sealed class MarketDemoData(MarketEntityService market) : IDemoDataStep
{
    public const string Suffix = "（演示数据）";

    public int Order => 100;

    /// <summary>
    /// A legal representative's demo resident ID number: a demo region, birth date 1980-01-01, a sequence in the 900s
    /// and its GB 11643 check character, so it passes the form's check like a real one. Demo data, like the names.
    /// </summary>
    public static string DemoResidentId(string region, int sequence)
    {
        var first17 = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{region}19800101{sequence:D3}");
        return first17 + ResidentIdNumber.CheckCharacter(first17);
    }

    /// <summary>The demo entities: user name, role, kind, name, code, representative, region, qualifications.</summary>
    public static IReadOnlyList<DemoEntity> Entities { get; } =
    [
        new("bidder", "演示投标人", PlatformRoles.Bidder, false, EntityKind.Organisation, "演示建设工程有限公司" + Suffix, "91530102MA6DEM001L", "张建国", "530102",
            [(QualificationKinds.GeneralContracting, "建筑工程施工总承包一级", "D153010001"), (QualificationKinds.SafetyLicence, "—", "（滇）JZ安许证字〔2025〕000001")],
            DemoResidentId("530102", 901)),
        new("bidder2", "演示投标人二", PlatformRoles.Bidder, false, EntityKind.Organisation, "演示第二建筑有限公司" + Suffix, "91530102MA6DEM002P", "李建华", "530102",
            [(QualificationKinds.GeneralContracting, "建筑工程施工总承包二级", "D253010002"), (QualificationKinds.SafetyLicence, "—", "（滇）JZ安许证字〔2025〕000002")],
            DemoResidentId("530102", 902)),
        new("bidder3", "演示投标人三", PlatformRoles.Bidder, false, EntityKind.Organisation, "演示第三路桥工程有限公司" + Suffix, "91530102MA6DEM0051", "陈建设", "530102",
            [(QualificationKinds.GeneralContracting, "建筑工程施工总承包二级", "D253010005"), (QualificationKinds.SafetyLicence, "—", "（滇）JZ安许证字〔2025〕000005")],
            DemoResidentId("530102", 903)),
        new("tenderee", "演示招标人", PlatformRoles.Tenderee, true, EntityKind.Organisation, "演示市城市建设投资有限公司" + Suffix, "91530100MA6DEM003X", "王城投", "530100", [],
            DemoResidentId("530100", 904)),
        new("agency", "演示招标代理", PlatformRoles.Tenderee, true, EntityKind.Organisation, "演示招标代理有限公司" + Suffix, "91530103MA6DEM004C", "赵代理", "530103",
            [(QualificationKinds.CostConsulting, "甲级", "甲153010004")], DemoResidentId("530103", 905)),
        new("buyer", "演示竞买人", PlatformRoles.Bidder, false, EntityKind.NaturalPerson, "王演示" + Suffix, "530102198001010015", null, "530102", []),
    ];

    public async Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken)
    {
        var city = await demo.CentreAsync(DemoDataSeeder.DemoCityCode, cancellationToken);
        var staff = await demo.UserAsync("staff");
        var scan = await market.StoreScanAsync(new MemoryStream(DemoScan()), "演示资质证书（演示数据）.pdf", uploadedBy: null, cancellationToken);
        var today = market.Today;
        for (var index = 0; index < Entities.Count; index++)
        {
            var item = Entities[index];
            if (await market.IsIdentifierRegisteredAsync(item.Identifier, cancellationToken))
            {
                continue;
            }

            var user = await demo.EnsureUserAsync(item.UserName, item.DisplayName, item.Role, item.AtCentre ? city.Id : null, cancellationToken);
            var organisation = item.Kind == EntityKind.Organisation;
            var profile = EntityProfile.Create(
                item.Kind, item.Name, item.Identifier, item.LegalRepresentative, $"演示市演示区演示路{index + 1}号" + Suffix, item.Region,
                organisation ? new BankAccount("演示银行演示市分行" + Suffix, item.Name, $"62220000{index + 1:D8}") : null,
                item.Qualifications.Select(q => new Qualification(q.Kind, q.Grade, q.Number, "演示省住房和城乡建设厅" + Suffix, today.AddYears(3), [scan])),
                [new Contact(item.DisplayName, "0871-0000000" + (index + 1), $"{item.UserName}@demo.invalid")],
                today, item.LegalRepresentativeIdNumber);
            var entity = await market.RegisterAsync(item.Kind, profile, new MarketActor(user.Id), cancellationToken);
            await market.ApproveAsync(entity.Id, entity.Version, new MarketActor(staff.Id, staff.CentreId), cancellationToken);
        }

    }

    /// <summary>A one-page PDF saying it is a demo scan, so a demo certificate or letter never looks like a real one.</summary>
    internal static byte[] DemoScan(string text = "DEMO DATA - not a real certificate")
    {
        var stream = $"BT /F1 18 Tf 72 720 Td ({text}) Tj ET";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {stream.Length} >>\nstream\n{stream}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.ASCII.GetByteCount(pdf.ToString()));
            pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = Encoding.ASCII.GetByteCount(pdf.ToString());
        pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}

/// <summary>One demo entity and its demo account; an organisation's legal representative has a demo ID number.</summary>
public sealed record DemoEntity(
    string UserName, string DisplayName, string Role, bool AtCentre, EntityKind Kind, string Name, string Identifier, string? LegalRepresentative,
    string Region, IReadOnlyList<(string Kind, string Grade, string Number)> Qualifications, string? LegalRepresentativeIdNumber = null);
