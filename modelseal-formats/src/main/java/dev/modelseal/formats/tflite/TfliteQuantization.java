package dev.modelseal.formats.tflite;

/**
 * A tensor's {@code QuantizationParameters} as stored: {@code real = scale * (q - zero_point)}, per
 * tensor or per channel along {@code quantizedDimension}. Informative: fingerprints bind the stored
 * integers, never dequantized values. Immutable; arrays are copied out.
 */
public final class TfliteQuantization {
  private final float[] min;
  private final float[] max;
  private final float[] scale;
  private final long[] zeroPoint;
  private final int quantizedDimension;

  TfliteQuantization(
      float[] min, float[] max, float[] scale, long[] zeroPoint, int quantizedDimension) {
    this.min = min;
    this.max = max;
    this.scale = scale;
    this.zeroPoint = zeroPoint;
    this.quantizedDimension = quantizedDimension;
  }

  /** The {@code min} values (may be empty). */
  public float[] min() {
    return min.clone();
  }

  /** The {@code max} values (may be empty). */
  public float[] max() {
    return max.clone();
  }

  /** The scales, one per tensor or per channel. */
  public float[] scale() {
    return scale.clone();
  }

  /** The zero points, one per tensor or per channel. */
  public long[] zeroPoint() {
    return zeroPoint.clone();
  }

  /** The channel dimension of per-channel parameters (0 when per tensor). */
  public int quantizedDimension() {
    return quantizedDimension;
  }

  /** True when no scale or zero point is stored. */
  public boolean isEmpty() {
    return scale.length == 0 && zeroPoint.length == 0 && min.length == 0 && max.length == 0;
  }

  /** {@code scale=[..] zero_point=[..] quantized_dimension=d}. */
  @Override
  public String toString() {
    return "scale="
        + java.util.Arrays.toString(scale)
        + " zero_point="
        + java.util.Arrays.toString(zeroPoint)
        + " quantized_dimension="
        + quantizedDimension;
  }
}
