package dev.kft.dataprep.domain;

import dev.kft.text.Text;

/**
 * A cleaned, labelled example on its way to tokenization.
 *
 * @param row the source row it came from (for lineage)
 * @param label its label id
 * @param augmented whether augmentation made it from the source row
 */
public record Example(long row, String text, String pair, int label, boolean augmented)
    implements Text {}
