package dev.modelseal.fingerprint;

import dev.modelseal.digest.Digest;
import dev.modelseal.digest.HashAlgorithm;
import dev.modelseal.formats.TensorInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A model's v1 weight fingerprint: its tensors' digests (sorted by name), the weights digest that
 * binds names and the content digest that ignores them ({@code docs/fingerprint.md}, section 4).
 * Immutable; the two model digests are always computed here from the tensor digests, never taken
 * from elsewhere.
 */
public final class Fingerprint {
  /** The definition version this class implements. */
  public static final String VERSION = "v1";

  static final String TENSOR_TAG = "modelseal.fingerprint.v1.tensor";
  private static final String WEIGHTS_TAG = "modelseal.fingerprint.v1.weights";
  private static final String CONTENT_TAG = "modelseal.fingerprint.v1.content";

  private final List<TensorFingerprint> tensors;
  private final Digest weights;
  private final Digest content;

  private Fingerprint(List<TensorFingerprint> tensors, Digest weights, Digest content) {
    this.tensors = tensors;
    this.weights = weights;
    this.content = content;
  }

  /**
   * The fingerprint of these tensor digests.
   *
   * @throws IllegalArgumentException when two tensors share a name
   */
  static Fingerprint of(List<TensorFingerprint> tensorDigests) {
    List<TensorFingerprint> sorted = new ArrayList<>(tensorDigests);
    sorted.sort((a, b) -> TensorInfo.NAME_ORDER.compare(a.name(), b.name()));
    MessageDigest w = HashAlgorithm.sha256();
    putString(w, WEIGHTS_TAG);
    putU64(w, sorted.size());
    String prev = null;
    for (TensorFingerprint t : sorted) {
      if (t.name().equals(prev)) {
        throw new IllegalArgumentException("two tensors are named '" + prev + "'");
      }
      prev = t.name();
      putString(w, t.name());
      w.update(t.digest().bytes());
    }
    byte[][] ds = new byte[sorted.size()][];
    for (int i = 0; i < ds.length; i++) {
      ds[i] = sorted.get(i).digest().bytes();
    }
    Arrays.sort(ds, Arrays::compareUnsigned);
    MessageDigest c = HashAlgorithm.sha256();
    putString(c, CONTENT_TAG);
    putU64(c, ds.length);
    for (byte[] d : ds) {
      c.update(d);
    }
    return new Fingerprint(
        Collections.unmodifiableList(sorted), Digest.sha256(w.digest()), Digest.sha256(c.digest()));
  }

  static void putU64(MessageDigest md, long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    md.update(b);
  }

  static void putString(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    putU64(md, b.length);
    md.update(b);
  }

  /** The tensors, sorted by name in code point order. */
  public List<TensorFingerprint> tensors() {
    return tensors;
  }

  /** The weights digest: names and tensors. The model's identity. */
  public Digest weights() {
    return weights;
  }

  /** The content digest: tensors without names. */
  public Digest content() {
    return content;
  }

  /** True when both have the same weights digest. */
  public boolean sameWeights(Fingerprint other) {
    return weights.matches(other.weights);
  }

  @Override
  public String toString() {
    return "weights " + weights + ", content " + content + ", " + tensors.size() + " tensors";
  }
}
