package dev.modelseal.formats.internal;

import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.ReadLimits;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The memory a reader spends on the table of a file's tensors while opening it, estimated per entry
 * and bounded by {@link ReadLimits#tableBytes()}.
 *
 * <p>Guarantee: once the estimate of the entries charged passes the limit, {@link #charge} throws a
 * {@link LimitExceededException} naming the entries counted, the estimate and the limit, before the
 * entry is kept; the estimate is {@value #PER_ENTRY} bytes per entry plus two per character of its
 * name plus eight per dimension, which is at least what the reader, the model and a fingerprint
 * hold per tensor.
 */
public final class TableBudget {
  /** The fixed part of the estimate of one entry, in bytes. */
  public static final int PER_ENTRY = 256;

  private final Path file;
  private final String what;
  private final long limit;
  private long used;
  private long entries;

  private TableBudget(Path file, String what, long limit) {
    this.file = file;
    this.what = what;
    this.limit = limit;
  }

  /**
   * A budget of {@code limits.tableBytes()} for the table {@code what} ("the header's tensors").
   */
  public static TableBudget of(Path file, String what, ReadLimits limits) {
    return new TableBudget(file, what, limits.tableBytes());
  }

  /** Charges one entry named {@code name} of {@code rank} dimensions. */
  public void charge(String name, int rank) throws LimitExceededException {
    entries++;
    charge(PER_ENTRY + 2L * name.length() + 8L * rank);
  }

  /** Charges {@code bytes} more for the entry being read (a metadata value that is kept). */
  public void charge(long bytes) throws LimitExceededException {
    used += bytes;
    if (used > limit) {
      throw LimitExceededException.because(
          file,
          String.format(
              Locale.ROOT,
              "%s need more than %,d bytes of memory at entry %,d, over the limit of %,d (a"
                  + " quarter of the heap; -Xmx raises it)",
              what,
              used,
              entries,
              limit),
          used,
          limit);
    }
  }

  /** The estimate so far, in bytes. */
  public long used() {
    return used;
  }
}
