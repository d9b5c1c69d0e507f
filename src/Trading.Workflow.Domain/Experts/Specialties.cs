namespace Trading.Workflow.Domain.Experts;

/// <summary>One node of the specialty classification (专业分类): a code whose prefix is its parent's code.</summary>
public sealed record Specialty(string Code, string NameZh, string NameEn)
{
    /// <summary>The parent's code (one level is two characters after the top letter), or null at the top.</summary>
    public string? ParentCode => Code.Length <= 1 ? null : Code[..(Code.Length == 3 ? 1 : Code.Length - 2)];

    public int Depth => Code.Length == 1 ? 0 : (Code.Length - 1) / 2;

    /// <summary>True when <paramref name="code"/> is this node or lies below it.</summary>
    public bool Covers(string code) => code.StartsWith(Code, StringComparison.Ordinal);
}

/// <summary>
/// The platform's classification of evaluation specialties (评标专家专业分类), organised by the four top classes the
/// national classification uses (工程、经济、货物、服务): an expert holds leaf or inner codes, a committee is requested by
/// any node, and a node covers every code below it. Codes are stable; a new specialty is a new code.
/// </summary>
public static class Specialties
{
    public static IReadOnlyList<Specialty> All { get; } =
    [
        new("A", "工程类", "Works"),
        new("A01", "房屋建筑工程", "Building construction"),
        new("A0101", "建筑结构与土建", "Structures and civil works"),
        new("A0102", "建筑装饰装修", "Building decoration"),
        new("A0103", "建筑电气与智能化", "Building electrical and intelligent systems"),
        new("A0104", "给排水与暖通空调", "Plumbing, heating and air conditioning"),
        new("A02", "市政公用工程", "Municipal works"),
        new("A0201", "城市道路与桥梁", "Urban roads and bridges"),
        new("A0202", "给水排水管网", "Water supply and drainage networks"),
        new("A0203", "园林绿化", "Landscaping"),
        new("A0204", "燃气与热力", "Gas and district heating"),
        new("A03", "公路工程", "Highway works"),
        new("A0301", "路基路面", "Subgrade and pavement"),
        new("A0302", "公路桥梁与隧道", "Highway bridges and tunnels"),
        new("A0303", "交通安全设施", "Traffic safety facilities"),
        new("A04", "水利水电工程", "Water conservancy and hydropower"),
        new("A0401", "水工建筑物", "Hydraulic structures"),
        new("A0402", "河道整治与灌溉", "River training and irrigation"),
        new("A05", "电力工程", "Power works"),
        new("A0501", "输变电工程", "Transmission and substations"),
        new("A06", "铁路与城市轨道交通工程", "Railway and urban rail works"),
        new("B", "经济类", "Economics"),
        new("B01", "工程造价", "Construction cost"),
        new("B0101", "建筑与装饰工程造价", "Cost of building and decoration works"),
        new("B0102", "市政与公路工程造价", "Cost of municipal and highway works"),
        new("B0103", "安装工程造价", "Cost of installation works"),
        new("B02", "财务与审计", "Finance and audit"),
        new("B03", "招标采购与合同管理", "Procurement and contract management"),
        new("B04", "法律", "Law"),
        new("C", "货物类", "Goods"),
        new("C01", "机电设备", "Mechanical and electrical equipment"),
        new("C02", "信息技术与网络设备", "IT and network equipment"),
        new("C03", "医疗设备", "Medical equipment"),
        new("C04", "建筑材料", "Building materials"),
        new("D", "服务类", "Services"),
        new("D01", "工程勘察", "Geotechnical survey"),
        new("D02", "工程设计", "Engineering design"),
        new("D03", "工程监理", "Construction supervision"),
        new("D04", "项目管理与咨询", "Project management and consulting"),
    ];

    private static readonly Dictionary<string, Specialty> ByCode = All.ToDictionary(s => s.Code, StringComparer.Ordinal);

    public static Specialty? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var s) ? s : null;

    public static bool IsKnown(string? code) => code is not null && ByCode.ContainsKey(code);

    /// <summary>The node's direct children, in order.</summary>
    public static IReadOnlyList<Specialty> ChildrenOf(string? parentCode) => All.Where(s => s.ParentCode == parentCode).ToList();

    /// <summary>"工程类 / 房屋建筑工程 / 建筑结构与土建" (or the English names).</summary>
    public static string PathOf(string code, bool english = false)
    {
        var parts = new List<string>();
        for (var node = Find(code); node is not null; node = Find(node.ParentCode))
        {
            parts.Insert(0, english ? node.NameEn : node.NameZh);
        }

        return parts.Count == 0 ? code : string.Join(" / ", parts);
    }
}
