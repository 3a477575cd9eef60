package dev.kft.dataprep.domain;

/**
 * One example as read from a source file, before cleaning.
 *
 * @param row the example's position in its file, from 1 (lines for JSONL, records for CSV)
 * @param text the text column
 * @param pair the text pair column, or null
 * @param label the label as written, or null when missing
 */
public record SourceRow(long row, String text, String pair, String label) {}
