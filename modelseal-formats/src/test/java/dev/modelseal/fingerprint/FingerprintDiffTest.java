package dev.modelseal.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.formats.DType;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Pairing by name, then by content; maximum absolute differences; tolerance. */
class FingerprintDiffTest {
  static TensorModel model(TensorSource... tensors) throws Exception {
    return TensorModel.of(Path.of("m"), Format.SAFETENSORS, List.of(tensors), Map.of(), List.of());
  }

  static TensorSource f32(String name, float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return DefinitionTest.source(name, DType.FLOAT32, new long[] {v.length}, b.array());
  }

  static TensorSource f16(String name, int... bits) {
    ByteBuffer b = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : bits) {
      b.putShort((short) x);
    }
    return DefinitionTest.source(name, DType.FLOAT16, new long[] {bits.length}, b.array());
  }

  @Test
  void identicalModels_same() throws Exception {
    FingerprintDiff d = FingerprintDiff.compare(model(f32("a", 1, 2)), model(f32("a", 1, 2)));
    assertThat(d.same()).isTrue();
    assertThat(d.identical()).isTrue();
  }

  @Test
  void changedTensor_locatedWithMaxAbsDiff() throws Exception {
    FingerprintDiff d =
        FingerprintDiff.compare(
            model(f32("a", 1, 2), f32("b", 0, 0, 0)), model(f32("a", 1, 2), f32("b", 0, -3, 0.5f)));
    assertThat(d.same()).isFalse();
    assertThat(d.changed()).hasSize(1);
    assertThat(d.changed().get(0).name()).isEqualTo("b");
    assertThat(d.changed().get(0).maxAbsDiff()).hasValue(3.0);
  }

  @Test
  void fp16VersusFp32_equalWithinAtol() throws Exception {
    // 1.0 and 0.33325195 (0x3555) in fp16; fp32 holds 1.0 and 1/3
    TensorModel half = model(f16("w", 0x3C00, 0x3555));
    TensorModel full = model(f32("w", 1.0f, 1.0f / 3));
    FingerprintDiff exact = FingerprintDiff.compare(half, full);
    assertThat(exact.same()).isFalse();
    assertThat(exact.changed().get(0).maxAbsDiff().getAsDouble()).isBetween(1e-5, 1e-4);
    FingerprintDiff tol = FingerprintDiff.compare(half, full, OptionalDouble.of(1e-3));
    assertThat(tol.same()).isTrue();
    assertThat(tol.identical()).isFalse();
    assertThat(tol.nearEqual()).hasSize(1);
  }

  @Test
  void nanAgainstNumber_neverWithinTolerance() throws Exception {
    FingerprintDiff d =
        FingerprintDiff.compare(
            model(f32("a", Float.NaN)), model(f32("a", 1)), OptionalDouble.of(1e9));
    assertThat(d.same()).isFalse();
    assertThat(d.changed().get(0).maxAbsDiff().getAsDouble()).isNaN();
  }

  @Test
  void differentShapes_noMaxAbsDiff() throws Exception {
    FingerprintDiff d = FingerprintDiff.compare(model(f32("a", 1)), model(f32("a", 1, 2)));
    assertThat(d.changed().get(0).maxAbsDiff()).isEmpty();
  }

  @Test
  void renamedAddedRemoved() throws Exception {
    FingerprintDiff d =
        FingerprintDiff.compare(
            model(f32("x", 1), f32("old", 7), f32("gone", 9)),
            model(f32("x", 1), f32("new", 7), f32("extra", 5)));
    assertThat(d.renamed()).hasSize(1);
    assertThat(d.renamed().get(0).left().name()).isEqualTo("old");
    assertThat(d.renamed().get(0).right().name()).isEqualTo("new");
    assertThat(d.removed()).extracting(TensorFingerprint::name).containsExactly("gone");
    assertThat(d.added()).extracting(TensorFingerprint::name).containsExactly("extra");
    assertThat(d.same()).isFalse();
  }

  @Test
  void largeTensors_streamedAcrossChunks() throws Exception {
    float[] a = new float[700_000];
    float[] b = new float[700_000];
    b[699_999] = 0.25f;
    FingerprintDiff d = FingerprintDiff.compare(model(f32("w", a)), model(f32("w", b)));
    assertThat(d.changed().get(0).maxAbsDiff()).hasValue(0.25);
  }
}
