package dev.modelseal.scan.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelseal.formats.Format;
import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.io.InputStream;
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

  private static final JsonFactory JSON = new JsonFactory();

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
      byte[] header = in.readNBytes((int) n);
      if (header.length < n) {
        ctx.finding(c, "safetensors.malformed", Severity.MEDIUM, "", "file ends inside the header");
        return;
      }
      dataEnd = parse(c, ctx, header);
      if (dataEnd < 0) {
        return;
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

  /** The end of the tensor buffer named by the header, or -1 after reporting why not. */
  private static long parse(Content c, ScanContext ctx, byte[] header) {
    Set<String> keys = new HashSet<>();
    long end = 0;
    try (JsonParser p = JSON.createParser(header)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        ctx.finding(c, "safetensors.malformed", Severity.MEDIUM, "", "header is not a JSON object");
        return -1;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (!keys.add(key)) {
          ctx.finding(
              c,
              "safetensors.duplicate-key",
              Severity.HIGH,
              "tensor '" + PickleScan.printable(key) + "'",
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
          c,
          "safetensors.malformed",
          Severity.MEDIUM,
          "",
          "header is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
      return -1;
    }
    return end;
  }
}
