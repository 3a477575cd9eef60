package dev.kft.messaging;

import dev.kft.batch.BatchCodec;
import dev.kft.batch.TokenizedBatch;
import org.apache.kafka.common.serialization.Serializer;

/** Writes {@link TokenizedBatch}es to {@code kft.batches} with {@link BatchCodec}. */
public class BatchSerializer implements Serializer<TokenizedBatch> {

  @Override
  public byte[] serialize(String topic, TokenizedBatch batch) {
    return batch == null ? null : BatchCodec.encode(batch);
  }
}
