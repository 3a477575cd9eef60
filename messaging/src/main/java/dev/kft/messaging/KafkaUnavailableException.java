package dev.kft.messaging;

/**
 * Kafka did not answer in time: a broker outage, not a problem of the job. Work that fails with it
 * is retried (its record read again once the broker is back), never ended as {@code JobFailed}.
 */
public class KafkaUnavailableException extends RuntimeException {

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether {@code error} or one of its causes says Kafka was away. */
  public static boolean causes(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KafkaUnavailableException
          || t instanceof org.apache.kafka.common.errors.TimeoutException
          || t instanceof org.apache.kafka.common.errors.RetriableException) {
        return true;
      }
    }
    return false;
  }
}
