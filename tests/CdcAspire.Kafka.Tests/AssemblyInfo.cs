using CdcAspire.Kafka.Tests.Infrastructure;

// One mock Kafka cluster for the whole run; tests isolate themselves by unique topic and group names.
[assembly: AssemblyFixture(typeof(MockKafkaCluster))]
