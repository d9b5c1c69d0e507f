namespace Trading.Workflow.Web;

/// <summary>Official PDF documents: the public verify page (文件核验) and the printing rule codes' messages.</summary>
public sealed class PrintingResource;

/// <summary>The archive (资料归档): the archive page, package verification and the archive rule codes' messages.</summary>
public sealed class ArchiveResource;
