package dev.kft.messaging;

import dev.kft.batch.BatchCodec;
import dev.kft.batch.BatchFormatException;
import dev.kft.batch.TokenizedBatch;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads {@link TokenizedBatch}es from {@code kft.batches} with {@link BatchCodec}. */
public class BatchDeserializer implements Deserializer<TokenizedBatch> {

  @Override
  public TokenizedBatch deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return BatchCodec.decode(data);
    } catch (BatchFormatException e) {
      throw new SerializationException(topic + ": " + e.getMessage(), e);
    }
  }
}
