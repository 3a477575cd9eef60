package dev.kft.tensorflow;

import java.io.IOException;

/** A TensorFlow tensor bundle that cannot be read: not a bundle, truncated or damaged. */
public class BundleFormatException extends IOException {
  public BundleFormatException(String message) {
    super(message);
  }
}
