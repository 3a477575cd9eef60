package dev.kft.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope in which PyTorch records no autograd graph, on the current thread, restoring the previous
 * mode on close. PyTorch's grad mode is per thread and on by default; DJL turns it off only on the
 * thread that started the engine, so inference and in-place updates must not rely on it.
 */
public final class NoGrad implements AutoCloseable {

  private final boolean previous;

  private NoGrad() {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
  }

  public static NoGrad enter() {
    return new NoGrad();
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
