package dev.modelseal.fingerprint;

import dev.modelseal.IntegrityException;
import dev.modelseal.digest.Digest;
import java.nio.file.Path;
import java.util.List;

/**
 * A model's weight fingerprint is not the pinned one. When the pin was a whole {@link Fingerprint},
 * {@link #differences()} names each changed, added and removed tensor ({@code "changed w"}).
 */
public final class WeightsMismatchException extends IntegrityException {
  private static final long serialVersionUID = 1L;
  private static final int NAMED_IN_MESSAGE = 10;

  private final transient Digest expected;
  private final transient Digest actual;
  private final transient List<String> differences;

  WeightsMismatchException(Path model, WeightsPin pin, Digest actual, List<String> differences) {
    super(model, message(pin, actual, differences));
    this.expected = pin.digest();
    this.actual = actual;
    this.differences = List.copyOf(differences);
  }

  private static String message(WeightsPin pin, Digest actual, List<String> d) {
    StringBuilder b =
        new StringBuilder(pin.isContent() ? "content" : "weights")
            .append(" digest is ")
            .append(actual)
            .append(", pinned ")
            .append(pin.digest());
    for (int i = 0; i < d.size() && i < NAMED_IN_MESSAGE; i++) {
      b.append(i == 0 ? ": " : ", ").append(oneLine(d.get(i)));
    }
    if (d.size() > NAMED_IN_MESSAGE) {
      b.append(" and ").append(d.size() - NAMED_IN_MESSAGE).append(" more");
    }
    return b.toString();
  }

  private static String oneLine(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }

  /** The pinned digest. */
  public Digest expected() {
    return expected;
  }

  /** The digest of the model as read (weights or content, as the pin). */
  public Digest actual() {
    return actual;
  }

  /** {@code changed NAME}, {@code added NAME}, {@code removed NAME}; empty when unknown. */
  public List<String> differences() {
    return differences;
  }
}
