package dev.kft.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The matrix products of a forward pass (linear layers, attention's batched products) in a {@link
 * Precision}. Products take and give float32 arrays; gradients reach the float32 operands.
 *
 * <p>DJL's PyTorch JNI maps no bfloat16 type: creating or casting to a bfloat16 array aborts the
 * JVM ({@code GetScalarTypeFromDType} rethrows with no exception in flight). bfloat16 products
 * therefore run inside two TorchScript functions shipped with kft ({@code bf16_linear.pt}, {@code
 * bf16_matmul.pt}, written by {@code model/src/main/torchscript/bf16_products.py}) that cast,
 * multiply and cast back in the engine, so no bfloat16 array ever reaches Java. float16 products
 * run the same way ({@code fp16_linear.pt}, {@code fp16_matmul.pt}).
 */
public abstract sealed class MatrixProducts {

  /** {@code x · weightᵀ + bias}. */
  public abstract NDArray linear(NDArray x, NDArray weight, NDArray bias);

  /** The (batched) matrix product {@code a · b}. */
  public abstract NDArray matMul(NDArray a, NDArray b);

  /** The products of {@code precision}. */
  public static MatrixProducts of(Precision precision) {
    return switch (precision) {
      case FLOAT32 -> Float32.INSTANCE;
      case BFLOAT16 -> Reduced.BF16;
      case FLOAT16 -> Reduced.FP16;
    };
  }

  private static final class Float32 extends MatrixProducts {

    static final Float32 INSTANCE = new Float32();

    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
      return Linear.linear(x, weight, bias).singletonOrThrow();
    }

    @Override
    public NDArray matMul(NDArray a, NDArray b) {
      return a.matMul(b);
    }
  }

  private static final class Reduced extends MatrixProducts {

    static final Reduced BF16 = new Reduced("bf16");
    static final Reduced FP16 = new Reduced("fp16");

    // the functions hold no parameters or state; they live as long as the process
    private final NDManager manager = NDManager.newBaseManager();
    private final PtSymbolBlock linear;
    private final PtSymbolBlock matMul;

    private Reduced(String type) {
      linear = load(type + "_linear.pt");
      matMul = load(type + "_matmul.pt");
    }

    private PtSymbolBlock load(String resource) {
      try (InputStream in = MatrixProducts.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("no resource dev/kft/nn/" + resource);
        }
        return JniUtils.loadModule((PtNDManager) manager, in, true, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
      return run(linear, new NDList(x, weight, bias));
    }

    @Override
    public NDArray matMul(NDArray a, NDArray b) {
      return run(matMul, new NDList(a, b));
    }

    /**
     * Runs a function with autograd as the thread has it (training mode: DJL would otherwise turn
     * gradients off); the result lives in the first operand's manager.
     */
    private static NDArray run(PtSymbolBlock function, NDList operands) {
      return IValueUtils.forward(function, operands, true).singletonOrThrow();
    }
  }
}
