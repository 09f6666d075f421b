package dev.modelseal.fingerprint;

import dev.modelseal.ModelsealException;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What differs between two models, tensor by tensor: tensors are paired by name, then the unpaired
 * ones by content (equal tensor digests: a rename). For a changed numeric tensor of the same shape
 * in both (dtypes may differ: float16 against float32), the maximum absolute difference of the
 * values is computed; with a tolerance ({@code atol}) a change within it counts as equal.
 *
 * <p>Immutable result. Guarantee: {@link #same()} is true only when every tensor of each model is
 * paired by name with an equal tensor of the other (equal digest, or within the tolerance when one
 * was given); a rename, an added or a removed tensor makes the models differ.
 */
public final class FingerprintDiff {
  /** A tensor present in both under one name whose digests differ. */
  public record Change(
      TensorFingerprint left,
      TensorFingerprint right,
      OptionalDouble maxAbsDiff,
      boolean withinTolerance) {
    /** The tensor's name. */
    public String name() {
      return left.name();
    }
  }

  /** A tensor present in both with equal content under different names. */
  public record Rename(TensorFingerprint left, TensorFingerprint right) {}

  private final Fingerprint left;
  private final Fingerprint right;
  private final List<Change> changed;
  private final List<Change> nearEqual;
  private final List<TensorFingerprint> added;
  private final List<TensorFingerprint> removed;
  private final List<Rename> renamed;

  private FingerprintDiff(
      Fingerprint left,
      Fingerprint right,
      List<Change> changed,
      List<Change> nearEqual,
      List<TensorFingerprint> added,
      List<TensorFingerprint> removed,
      List<Rename> renamed) {
    this.left = left;
    this.right = right;
    this.changed = Collections.unmodifiableList(changed);
    this.nearEqual = Collections.unmodifiableList(nearEqual);
    this.added = Collections.unmodifiableList(added);
    this.removed = Collections.unmodifiableList(removed);
    this.renamed = Collections.unmodifiableList(renamed);
  }

  /** Compares two models exactly (no tolerance). */
  public static FingerprintDiff compare(TensorModel a, TensorModel b) throws ModelsealException {
    return compare(a, b, OptionalDouble.empty());
  }

  /**
   * Compares two models; changed numeric tensors of equal shape whose maximum absolute difference
   * is at most {@code atol} (when present, and not NaN) count as equal.
   */
  public static FingerprintDiff compare(TensorModel a, TensorModel b, OptionalDouble atol)
      throws ModelsealException {
    Objects.requireNonNull(atol, "atol");
    if (atol.isPresent() && !(atol.getAsDouble() >= 0)) {
      throw new IllegalArgumentException("atol must be a number >= 0");
    }
    Fingerprinter fp = Fingerprinter.create();
    Fingerprint fa = fp.fingerprint(a);
    Fingerprint fb = fp.fingerprint(b);
    Map<String, TensorSource> sa = byName(a);
    Map<String, TensorSource> sb = byName(b);
    Map<String, TensorFingerprint> tb = new LinkedHashMap<>();
    fb.tensors().forEach(t -> tb.put(t.name(), t));
    List<Change> changed = new ArrayList<>();
    List<Change> near = new ArrayList<>();
    List<TensorFingerprint> onlyA = new ArrayList<>();
    for (TensorFingerprint l : fa.tensors()) {
      TensorFingerprint r = tb.remove(l.name());
      if (r == null) {
        onlyA.add(l);
      } else if (!l.digest().matches(r.digest())) {
        OptionalDouble d = maxAbsDiff(sa.get(l.name()), sb.get(r.name()));
        boolean within = atol.isPresent() && d.isPresent() && d.getAsDouble() <= atol.getAsDouble();
        (within ? near : changed).add(new Change(l, r, d, within));
      }
    }
    Map<String, ArrayDeque<TensorFingerprint>> addedByDigest = new HashMap<>();
    for (TensorFingerprint r : tb.values()) {
      addedByDigest.computeIfAbsent(r.digest().hex(), k -> new ArrayDeque<>()).add(r);
    }
    List<Rename> renamed = new ArrayList<>();
    List<TensorFingerprint> removed = new ArrayList<>();
    for (TensorFingerprint l : onlyA) {
      ArrayDeque<TensorFingerprint> q = addedByDigest.get(l.digest().hex());
      if (q != null && !q.isEmpty()) {
        TensorFingerprint r = q.poll();
        tb.remove(r.name());
        renamed.add(new Rename(l, r));
      } else {
        removed.add(l);
      }
    }
    List<TensorFingerprint> added = new ArrayList<>(tb.values());
    return new FingerprintDiff(fa, fb, changed, near, added, removed, renamed);
  }

  private static Map<String, TensorSource> byName(TensorModel m) {
    Map<String, TensorSource> out = new HashMap<>();
    m.tensors().forEach(s -> out.put(s.info().name(), s));
    return out;
  }

  /** The maximum absolute difference, when both are numeric with equal shapes. */
  static OptionalDouble maxAbsDiff(TensorSource a, TensorSource b) throws ModelsealException {
    if (!ValueCursor.isNumeric(a.info().dtype())
        || !ValueCursor.isNumeric(b.info().dtype())
        || !a.info().sameShape(b.info())) {
      return OptionalDouble.empty();
    }
    long n = a.info().elements();
    double max = 0;
    try (TensorStream x = a.open();
        TensorStream y = b.open()) {
      ValueCursor cx = new ValueCursor(x, a.info().dtype());
      ValueCursor cy = new ValueCursor(y, b.info().dtype());
      for (long i = 0; i < n; i++) {
        double u = cx.next();
        double v = cy.next();
        double d;
        if (Double.isNaN(u) || Double.isNaN(v)) {
          d = Double.isNaN(u) && Double.isNaN(v) ? 0 : Double.NaN;
        } else if (u == v) {
          d = 0;
        } else {
          d = Math.abs(u - v);
        }
        if (Double.isNaN(d)) {
          return OptionalDouble.of(Double.NaN);
        }
        max = Math.max(max, d);
      }
    }
    return OptionalDouble.of(max);
  }

  /** The left model's fingerprint. */
  public Fingerprint left() {
    return left;
  }

  /** The right model's fingerprint. */
  public Fingerprint right() {
    return right;
  }

  /** Tensors of one name whose values differ (beyond the tolerance, when one was given). */
  public List<Change> changed() {
    return changed;
  }

  /** Tensors of one name that differ within the tolerance. */
  public List<Change> nearEqual() {
    return nearEqual;
  }

  /** Tensors only in the right model (not paired by content either). */
  public List<TensorFingerprint> added() {
    return added;
  }

  /** Tensors only in the left model (not paired by content either). */
  public List<TensorFingerprint> removed() {
    return removed;
  }

  /** Tensors paired by content under different names. */
  public List<Rename> renamed() {
    return renamed;
  }

  /** True when the weights digests are equal (same names, same tensors). */
  public boolean identical() {
    return left.sameWeights(right);
  }

  /** True when nothing differs, counting near-equal tensors as equal. */
  public boolean same() {
    return changed.isEmpty() && added.isEmpty() && removed.isEmpty() && renamed.isEmpty();
  }
}
