package dev.kft.text;

/** One input of a sequence classifier: a text, or a text and its pair (null for none). */
public interface Text {

  String text();

  String pair();

  /** A text without a pair, or with one. */
  static Text of(String text, String pair) {
    record Plain(String text, String pair) implements Text {}
    return new Plain(text, pair);
  }
}
