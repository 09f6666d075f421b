package dev.modelseal.fingerprint;

import dev.modelseal.ModelsealException;
import dev.modelseal.digest.Digest;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.TensorModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The weight fingerprint a model must have, whatever its file format: the file-level counterpart is
 * {@code dev.modelseal.pin.ModelPin}.
 *
 * <pre>{@code
 * VerifiedWeights w = WeightsPin.of("sha256:66e1...").verify(Path.of("model.onnx"));
 * }</pre>
 *
 * <p>By default the pin is a <em>weights</em> digest (names, dtypes, shapes and values bound);
 * {@link #content} pins the content digest instead, which accepts renamed tensors. A pin made from
 * a whole {@link Fingerprint} also knows each tensor's digest, so a mismatch names the changed,
 * added and removed tensors. Digests are compared in constant time.
 *
 * <p>Guarantee: {@link #verify} returns only when the tensors read from the file (by the format
 * reader chosen by content, with full validation) have the pinned digest. Not guaranteed: that the
 * file is not changed after verification (this checks weights, it does not hand out a private copy;
 * load through {@code ModelPin.open} for that), and nothing about metadata, graph structure or
 * code, which are outside every weight fingerprint.
 */
public final class WeightsPin {
  private final Digest digest;
  private final boolean content;
  private final Fingerprint expected;

  private WeightsPin(Digest digest, boolean content, Fingerprint expected) {
    this.digest = digest;
    this.content = content;
    this.expected = expected;
  }

  /**
   * A pin of a weights digest written {@code sha256:<64 hex digits>}.
   *
   * @throws IllegalArgumentException when the digest is malformed or not SHA-256
   */
  public static WeightsPin of(String weightsDigest) {
    return new WeightsPin(sha256(weightsDigest), false, null);
  }

  /**
   * A pin of a content digest (names ignored: a model whose tensors were only renamed matches).
   *
   * @throws IllegalArgumentException when the digest is malformed or not SHA-256
   */
  public static WeightsPin content(String contentDigest) {
    return new WeightsPin(sha256(contentDigest), true, null);
  }

  /** A pin of the weights digest of {@code expected}, naming changed tensors on a mismatch. */
  public static WeightsPin of(Fingerprint expected) {
    return new WeightsPin(expected.weights(), false, expected);
  }

  private static Digest sha256(String text) {
    Digest d = Digest.parse(Objects.requireNonNull(text, "digest"));
    if (!"sha256".equals(d.algorithm()) || d.bytes().length != 32) {
      throw new IllegalArgumentException("a fingerprint digest is sha256:<64 hex digits>");
    }
    return d;
  }

  /** The pinned digest. */
  public Digest digest() {
    return digest;
  }

  /** True when the pinned digest is a content digest (names ignored). */
  public boolean isContent() {
    return content;
  }

  /**
   * Fingerprints the model at {@code path} (format detected by content) and checks it.
   *
   * @throws WeightsMismatchException when the fingerprint differs from the pin
   */
  public VerifiedWeights verify(Path path) throws ModelsealException {
    try (TensorModel m = FormatDetector.create().open(path)) {
      return verify(m);
    }
  }

  /** Checks an opened model; see {@link #verify(Path)}. */
  public VerifiedWeights verify(TensorModel model) throws ModelsealException {
    Fingerprint actual = Fingerprinter.create().fingerprint(model);
    Digest got = content ? actual.content() : actual.weights();
    if (!digest.matches(got)) {
      throw new WeightsMismatchException(model.path(), this, got, differences(actual));
    }
    return VerifiedWeights.matched(model.path(), actual);
  }

  private List<String> differences(Fingerprint actual) {
    List<String> out = new ArrayList<>();
    if (expected == null) {
      return out;
    }
    Map<String, Digest> want = new HashMap<>();
    expected.tensors().forEach(t -> want.put(t.name(), t.digest()));
    Map<String, Digest> have = new HashMap<>();
    actual.tensors().forEach(t -> have.put(t.name(), t.digest()));
    for (TensorFingerprint t : actual.tensors()) {
      Digest w = want.get(t.name());
      if (w == null) {
        out.add("added " + t.name());
      } else if (!w.matches(t.digest())) {
        out.add("changed " + t.name());
      }
    }
    for (TensorFingerprint t : expected.tensors()) {
      if (!have.containsKey(t.name())) {
        out.add("removed " + t.name());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "WeightsPin[" + (content ? "content " : "weights ") + digest + "]";
  }
}
