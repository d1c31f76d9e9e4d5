namespace CdcAspire.Testing.Elasticsearch.Faults;

/// <summary>When an injected connection drop happens.</summary>
internal enum DropMode
{
    None,

    /// <summary>Before the request is processed: nothing was written.</summary>
    BeforeProcessing,

    /// <summary>After the request was processed: the writes happened but the client never learns it.</summary>
    AfterProcessing,
}
