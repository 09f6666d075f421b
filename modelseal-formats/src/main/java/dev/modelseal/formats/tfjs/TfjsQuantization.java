package dev.modelseal.formats.tfjs;

import dev.modelseal.formats.DType;

/**
 * The {@code quantization} of one TF.js weight, and the decoding the TF.js runtime applies ({@code
 * tf.io.decodeWeights} of tfjs-core): for {@code uint8}/{@code uint16}, {@code value * scale + min}
 * computed in double and stored as float32 (a {@code float32} weight) or rounded with JavaScript's
 * {@code Math.round} and converted by ToInt32 (an {@code int32} weight); for {@code float16}, the
 * exact IEEE binary16 to binary32 conversion. Immutable.
 */
record TfjsQuantization(String storedDtype, int storedBytes, double scale, double min) {

  /** Decodes {@code stored} (an unsigned value of {@code storedBytes}) to a canonical element. */
  float toFloat(int stored) {
    if (storedBytes == 2 && storedDtype.equals("float16")) {
      return halfToFloat(stored);
    }
    return (float) (stored * scale + min);
  }

  /** The int32 value the runtime produces for {@code stored}. */
  int toInt(int stored) {
    return toInt32(jsRound(stored * scale + min));
  }

  /** A description of the stored form, for metadata. */
  String describe(DType original) {
    return storedDtype.equals("float16")
        ? "float16 (decoded to " + original + ")"
        : storedDtype + " scale=" + scale + " min=" + min + " (decoded to " + original + ")";
  }

  /** IEEE 754 binary16 bits to the float of the same value (NaN payloads kept). */
  static float halfToFloat(int h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** JavaScript {@code Math.round}: the nearest integer, ties toward positive infinity. */
  static double jsRound(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x) || x == Math.rint(x)) {
      return x;
    }
    double f = Math.floor(x);
    return x - f >= 0.5 ? f + 1 : f;
  }

  /** ECMAScript ToInt32. */
  static int toInt32(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return 0;
    }
    double m = (x < 0 ? -Math.floor(-x) : Math.floor(x)) % 4294967296.0;
    return (int) (long) m;
  }
}
