namespace CdcAspire.KafkaConnect;

/// <summary>What <see cref="KafkaConnectClient.ApplyAsync"/> did.</summary>
public enum ApplyOutcome
{
    /// <summary>The connector did not exist and was created (201).</summary>
    Created,

    /// <summary>The connector existed; its config was replaced (200), a no-op when unchanged.</summary>
    Updated,
}
