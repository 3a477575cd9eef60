package dev.kft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kft.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** config.json of other model families is refused by name, before any weight is read. */
@Tag("unit")
class BertConfigTest {

  @Test
  void aCheckpointOfAnotherFamilyIsRefusedNamingItsModelType() throws Exception {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BertConfig.parse(
                    Json.mapper()
                        .readTree(
                            "{\"model_type\": \"roberta\", \"hidden_size\": 64,"
                                + " \"num_attention_heads\": 4, \"num_labels\": 2}")));
    assertEquals(
        "config.json: model_type 'roberta' is not supported; kft fine-tunes BERT checkpoints"
            + " (model_type bert, such as bert-base-chinese, chinese-roberta-wwm-ext or"
            + " chinese-macbert, which are BERTs)",
        e.getMessage());
  }

  @Test
  void aBertOrAnUntypedConfigIsRead() throws Exception {
    String geometry =
        "\"hidden_size\": 64, \"num_attention_heads\": 4, \"id2label\": {\"0\": \"a\", \"1\": \"b\"}";
    assertEquals(64, BertConfig.parse(Json.mapper().readTree("{" + geometry + "}")).hiddenSize());
    assertEquals(
        64,
        BertConfig.parse(Json.mapper().readTree("{\"model_type\": \"bert\", " + geometry + "}"))
            .hiddenSize());
  }
}
