namespace CdcAspire.Pipeline.Changes;

/// <summary>What happened to a row.</summary>
public enum ChangeKind
{
    /// <summary>A row read by the initial snapshot (Debezium's <c>r</c>).</summary>
    Snapshot,

    /// <summary>A row inserted (<c>c</c>).</summary>
    Insert,

    /// <summary>A row updated (<c>u</c>); <see cref="ChangeEvent.OldKey"/> is set when its key changed.</summary>
    Update,

    /// <summary>A row deleted (<c>d</c>); only the key is known.</summary>
    Delete,

    /// <summary>Every row of the table removed (<c>t</c>); no key, no row.</summary>
    Truncate,
}
