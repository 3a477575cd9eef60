package dev.kft.checkpoint;

/** Thrown when a safetensors file is malformed or its tensors are not what the model needs. */
public class SafeTensorsException extends RuntimeException {

  public SafeTensorsException(String message) {
    super(message);
  }
}
