package dev.kft.dataprep.domain;

import java.nio.file.Path;
import java.util.Map;

/**
 * The base model as data-prep needs it.
 *
 * @param tokenizerJson the tokenizer to encode with
 * @param vocabSize rows of the model's word embeddings
 * @param hiddenSize their width (for the pruning report)
 * @param origin where the model came from, carried into the report
 */
public record BaseModel(
    Path tokenizerJson, int vocabSize, int hiddenSize, Map<String, String> origin) {}
