package dev.kft.nn;

import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * The threads kft's own element-wise kernels (the fused optimizer, dropout masks) run on: daemon
 * workers, as many as PyTorch's intra-op threads when first used, shared by every job in the
 * process. Callers cut work into chunks whose results do not depend on which thread runs them.
 */
public final class CpuWorkers {

  /** Elements per chunk: large enough to amortise a task, small enough to balance two cores. */
  static final int CHUNK = 1 << 15;

  /** The task over elements {@code [from, to)} of one chunk. */
  @FunctionalInterface
  public interface Chunk {
    Runnable over(int from, int to);
  }

  private static final class Pool {
    static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, JniUtils.getNumThreads()));
  }

  private CpuWorkers() {}

  /**
   * Adds to {@code tasks} one task per chunk of {@code size} elements, each built by {@code chunk}
   * on the caller's thread in chunk order (so what a task draws from a shared source does not
   * depend on which thread later runs it).
   */
  public static void cut(int size, Chunk chunk, List<Runnable> tasks) {
    for (int from = 0; from < size; from += CHUNK) {
      tasks.add(chunk.over(from, Math.min(size, from + CHUNK)));
    }
  }

  /** Runs every chunk and returns when all are done; a single chunk runs on the caller. */
  public static void run(List<Runnable> chunks) {
    if (chunks.size() == 1) {
      chunks.get(0).run();
      return;
    }
    Pool.POOL.submit(() -> chunks.parallelStream().forEach(Runnable::run)).join();
  }
}
