package dev.modelseal.scan.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.Format;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * safetensors files: the JSON header is read (at most {@value #MAX_HEADER} bytes, the reference
 * limit) without the tensor data. Rule ids: {@code safetensors.header-limit} (medium), {@code
 * safetensors.malformed} (medium), {@code safetensors.duplicate-key} (high: readers disagree on
 * which entry wins), {@code safetensors.trailing-bytes} (high: bytes after the tensor buffer make a
 * polyglot; they are routed again, so a pickle hidden there is reported as a pickle).
 */
public final class SafetensorsRule implements FormatRule {
  /** The reference reader's header limit. */
  static final long MAX_HEADER = 100_000_000L;

  private static final JsonFactory JSON =
      JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();

  @Override
  public String format() {
    return "safetensors";
  }

  @Override
  public boolean claims(Content c) {
    return FormatSniff.is(Format.SAFETENSORS, c);
  }

  private static long headerLength(Content c) {
    long n = 0;
    for (int i = 0; i < 8; i++) {
      n |= (long) c.headByte(i) << (8 * i);
    }
    return n;
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    long n = headerLength(c);
    if (n > MAX_HEADER) {
      ctx.finding(
          c,
          "safetensors.header-limit",
          Severity.MEDIUM,
          "",
          "header of "
              + n
              + " bytes is over the reference limit of "
              + MAX_HEADER
              + "; not scanned");
      return;
    }
    long dataEnd;
    long total;
    try (InputStream in = c.open()) {
      in.skipNBytes(8);
      Window header = new Window(in, n);
      Keys keys = new Keys(null);
      dataEnd = parse(c, ctx, header, keys);
      if (dataEnd < 0) {
        return;
      }
      if (header.left > 0) {
        ctx.finding(c, "safetensors.malformed", Severity.MEDIUM, "", "file ends inside the header");
        return;
      }
      Set<Long> twice = keys.hashesSeenTwice();
      if (!twice.isEmpty()) {
        reportDuplicates(c, ctx, n, twice);
      }
      total = c.size() >= 0 ? c.size() : 8 + n + skipAll(in);
    }
    long end = 8 + n + dataEnd;
    if (total < end) {
      ctx.finding(
          c,
          "safetensors.malformed",
          Severity.MEDIUM,
          "",
          "tensor buffer ends at byte " + end + " but the file has " + total);
    } else if (total > end) {
      ctx.finding(
          c,
          "safetensors.trailing-bytes",
          Severity.HIGH,
          "offset " + end,
          (total - end)
              + " bytes follow the tensor buffer (a polyglot file: other loaders may read them)");
      ctx.scanNested(
          c,
          "trailing bytes at offset " + end,
          total - end,
          () -> {
            InputStream in = c.open();
            in.skipNBytes(end);
            return in;
          },
          Content.Role.ANY);
    }
  }

  private static long skipAll(InputStream in) throws IOException {
    long k = 0;
    byte[] buf = new byte[8192];
    int r;
    while ((r = in.read(buf)) > 0) {
      k += r;
    }
    return k;
  }

  /**
   * The header's first {@code n} bytes of a stream, then end of input: the parser reads ahead, and
   * must not take the tensor buffer for more header.
   */
  private static final class Window extends InputStream {
    private final InputStream in;
    private long left;

    Window(InputStream in, long n) {
      this.in = in;
      this.left = n;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int r = in.read(b, off, (int) Math.min(len, left));
      if (r > 0) {
        left -= r;
      }
      return r;
    }
  }

  /**
   * The keys of a header as the parse goes: on the first read ({@code suspects} null) a 64-bit hash
   * per key, 8 bytes whatever its length; on the second read the keys whose hash was seen twice.
   */
  private static final class Keys {
    private final Set<Long> suspects;
    private final Set<String> suspectKeys = new HashSet<>();
    private long[] hashes = new long[1024];
    private int count;

    Keys(Set<Long> suspects) {
      this.suspects = suspects;
    }

    /** True when {@code key} is, for certain, the second of its name (second read only). */
    boolean add(String key) {
      long h = hash(key);
      if (suspects == null) {
        if (count == hashes.length) {
          hashes = Arrays.copyOf(hashes, 2 * count);
        }
        hashes[count++] = h;
        return false;
      }
      return suspects.contains(h) && !suspectKeys.add(key);
    }

    Set<Long> hashesSeenTwice() {
      long[] sorted = Arrays.copyOf(hashes, count);
      Arrays.sort(sorted);
      Set<Long> dup = new HashSet<>();
      for (int i = 1; i < sorted.length; i++) {
        if (sorted[i] == sorted[i - 1]) {
          dup.add(sorted[i]);
        }
      }
      return dup;
    }
  }

  /** Reads the header again to name each key whose hash the first read saw twice. */
  private static void reportDuplicates(Content c, ScanContext ctx, long n, Set<Long> twice)
      throws IOException {
    try (InputStream in = c.open()) {
      in.skipNBytes(8);
      parse(c, ctx, new Window(in, n), new Keys(twice));
    }
  }

  /** A 64-bit hash of a key: two independent 32-bit hashes of its characters. */
  private static long hash(String key) {
    int h = 0x811c9dc5;
    for (int i = 0; i < key.length(); i++) {
      h = (h ^ key.charAt(i)) * 0x01000193;
    }
    return ((long) key.hashCode() << 32) | (h & 0xFFFFFFFFL);
  }

  /** Jackson's reason in a few words: its first line, cut short (it may quote the file). */
  private static String why(Exception e) {
    if (e instanceof StreamConstraintsException) {
      return "a name, string or nesting beyond the parser's limits";
    }
    String m = e.getMessage() == null ? "malformed" : e.getMessage().lines().findFirst().orElse("");
    return m.length() <= 120 ? m : m.substring(0, 120) + "…";
  }

  /**
   * The end of the tensor buffer named by the header, or -1 after reporting why not; each key goes
   * through {@code keys}, which reports it when it is, for certain, a duplicate.
   */
  private static long parse(Content c, ScanContext ctx, InputStream header, Keys keys) {
    long end = 0;
    try (JsonParser p = JSON.createParser(header)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        ctx.finding(c, "safetensors.malformed", Severity.MEDIUM, "", "header is not a JSON object");
        return -1;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (keys.add(key)) {
          ctx.finding(
              c,
              "safetensors.duplicate-key",
              Severity.HIGH,
              "tensor " + Quoted.of(key),
              "header names this key twice; readers disagree on which entry they load");
        }
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if (field.equals("data_offsets") && v == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
              end = Math.max(end, p.getLongValue());
            }
          } else {
            p.skipChildren();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      ctx.finding(
          c, "safetensors.malformed", Severity.MEDIUM, "", "header is not valid JSON: " + why(e));
      return -1;
    }
    return end;
  }
}
