package dev.kft.dataprep.domain;

import dev.kft.checkpoint.VocabularyPruning;
import dev.kft.events.DatasetPrepared.Vocabulary;
import dev.kft.text.Encoder.Encoded;
import java.io.IOException;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/**
 * A job's vocabulary pruned to the tokens its splits use (and the tokenizer's special tokens), with
 * the encoded examples' ids renumbered into it.
 */
record PrunedIds(Vocabulary vocabulary, VocabularyPruning.Tokenizer tokenizer, int[] newIds) {

  /**
   * Prunes the vocabulary of {@code base} to the ids in {@code splits} (and the special tokens and
   * {@code padId}) and renumbers those ids in place.
   *
   * @throws DataProblem when the tokenizer cannot be pruned or does not fit the model
   */
  static PrunedIds of(BaseModel base, Collection<List<Encoded>> splits, int padId)
      throws IOException {
    BitSet used = new BitSet();
    for (int id : VocabularyPruning.specialIds(base.tokenizerJson())) {
      used.set(id);
    }
    used.set(padId);
    for (List<Encoded> split : splits) {
      for (Encoded e : split) {
        for (int id : e.ids()) {
          used.set(id);
        }
      }
    }
    int[] kept = used.stream().toArray();
    if (kept[kept.length - 1] >= base.vocabSize()) {
      throw new DataProblem(
          "model.prune_vocabulary: the tokenizer gives token id "
              + kept[kept.length - 1]
              + " but the model's vocab_size is "
              + base.vocabSize());
    }
    VocabularyPruning.Tokenizer tokenizer;
    try {
      tokenizer = VocabularyPruning.tokenizer(base.tokenizerJson(), kept);
    } catch (IllegalArgumentException e) {
      throw new DataProblem(e.getMessage());
    }
    int[] newIds = new int[kept[kept.length - 1] + 1];
    for (int i = 0; i < kept.length; i++) {
      newIds[kept[i]] = i;
    }
    for (List<Encoded> split : splits) {
      for (Encoded e : split) {
        int[] ids = e.ids();
        for (int i = 0; i < ids.length; i++) {
          ids[i] = newIds[ids[i]];
        }
      }
    }
    return new PrunedIds(
        Vocabulary.of(base.vocabSize(), kept, base.hiddenSize()), tokenizer, newIds);
  }

  /** The new id of a kept token. */
  int remap(int oldId) {
    return newIds[oldId];
  }
}
