package dev.modelseal.formats.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.internal.RegionInput;
import dev.modelseal.formats.internal.StreamingJson;
import dev.modelseal.formats.internal.TableBudget;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a safetensors JSON header as a stream of tokens straight from the file, keeping only each
 * tensor's name, dtype, shape and offsets, so that memory grows with what is kept and never with
 * the header's size.
 *
 * <p>Guarantee: the header is checked to be strict UTF-8 and one JSON object (no trailing content);
 * tensor names and metadata keys are at most {@value #MAX_NAME} bytes, shapes at most {@value
 * #MAX_RANK} dimensions, the metadata at most {@value #MAX_METADATA} entries; the table kept is
 * charged to a {@link TableBudget}. A {@code __metadata__} value is kept when its JSON text is at
 * most {@value #KEPT_VALUE} bytes and the kept values together at most {@value #KEPT_METADATA}; any
 * other value is checked to be a string and kept as a note of its length (metadata is informative,
 * outside every fingerprint). Every failure is one line with counts.
 */
final class SafetensorsHeader {
  /** Longest tensor name or metadata key, in bytes (and characters). */
  static final int MAX_NAME = StreamingJson.MAX_NAME;

  /** Most dimensions of a shape. */
  static final int MAX_RANK = 64;

  /** Most {@code __metadata__} entries. */
  static final int MAX_METADATA = 65_536;

  /** Longest JSON text of a metadata value that is kept, in bytes. */
  static final int KEPT_VALUE = StreamingJson.MAX_STRING;

  /** Most bytes of metadata values kept together. */
  static final int KEPT_METADATA = 1 << 20;

  /** Longest other string (a dtype), in characters. */
  private static final int MAX_STRING = 1024;

  private final FileChannel channel;
  private final Path file;
  private final TableBudget budget;
  private final ReadLimits limits;
  private final List<SafetensorsReader.Entry> entries = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private long keptMetadata;

  /** What the header holds: its tensors in header order, and its metadata. */
  record Content(List<SafetensorsReader.Entry> entries, Map<String, String> metadata) {}

  private SafetensorsHeader(FileChannel channel, Path file, ReadLimits limits, TableBudget budget) {
    this.channel = channel;
    this.file = file;
    this.limits = limits;
    this.budget = budget;
  }

  /** Reads the {@code n}-byte header at offset 8 of {@code channel}. */
  static Content read(FileChannel channel, Path file, long n, ReadLimits limits, TableBudget budget)
      throws ModelsealException {
    return new SafetensorsHeader(channel, file, limits, budget).read(n);
  }

  private Content read(long n) throws ModelsealException {
    try (JsonParser p = StreamingJson.parser(channel, 8, n)) {
      if (firstByte() != '{') {
        throw malformed("safetensors header does not start with '{'");
      }
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw malformed("safetensors header is not a JSON object");
      }
      boolean sawMetadata = false;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if (key.equals("__metadata__")) {
          if (sawMetadata) {
            throw malformed("safetensors header has two __metadata__ entries");
          }
          sawMetadata = true;
          readMetadata(p, v);
        } else {
          LimitExceededException.check(file, "tensor count", entries.size() + 1L, limits.tensors());
          entries.add(entry(p, key, v));
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw malformed("safetensors header is not valid JSON: it ends inside the object");
      }
      if (p.nextToken() != null) {
        throw malformed("safetensors header is not valid JSON: content after the object");
      }
    } catch (RegionInput.MalformedUtf8Exception | JsonProcessingException e) {
      throw malformed("safetensors header is " + StreamingJson.reason(e));
    } catch (EOFException e) {
      throw malformed("file ends inside the safetensors header");
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    return new Content(entries, metadata);
  }

  private int firstByte() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1);
    while (b.hasRemaining()) {
      if (channel.read(b, 8) < 0) {
        throw new EOFException();
      }
    }
    return b.get(0) & 0xFF;
  }

  private void readMetadata(JsonParser p, JsonToken v) throws IOException, ModelsealException {
    if (v == JsonToken.VALUE_NULL) {
      return;
    }
    if (v != JsonToken.START_OBJECT) {
      throw malformed("__metadata__ is not an object");
    }
    Set<String> keys = new HashSet<>();
    JsonToken t = p.nextToken();
    while (t == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      if (!keys.add(key)) {
        throw malformed("__metadata__ has the key " + Quoted.of(key) + " twice");
      }
      if (keys.size() > MAX_METADATA) {
        throw LimitExceededException.because(
            file,
            String.format(
                Locale.ROOT, "__metadata__ has more than %,d entries (the limit)", MAX_METADATA),
            keys.size(),
            MAX_METADATA);
      }
      budget.charge(key, 0);
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        throw malformed("__metadata__ value of " + Quoted.of(key) + " is not a string");
      }
      StreamingJson.Text value =
          StreamingJson.shortString(
              p, channel, 8, (int) Math.min(KEPT_VALUE, KEPT_METADATA - keptMetadata));
      t = p.currentToken();
      if (value.value() != null) {
        keptMetadata += value.jsonBytes();
        budget.charge(2L * value.value().length());
        metadata.put(key, value.value());
      } else {
        metadata.put(
            key,
            String.format(
                Locale.ROOT, "(a string of about %,d bytes, not kept)", value.jsonBytes()));
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw malformed("safetensors header is not valid JSON: __metadata__ is not closed");
    }
  }

  private SafetensorsReader.Entry entry(JsonParser p, String name, JsonToken v)
      throws IOException, ModelsealException {
    String where = "tensor " + Quoted.of(name);
    if (v != JsonToken.START_OBJECT) {
      throw malformed(where + " is not a JSON object");
    }
    String dtypeName = null;
    long[] shape = null;
    long[] off = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      JsonToken fv = p.nextToken();
      switch (k) {
        case "dtype" -> {
          if (dtypeName != null) {
            throw malformed(where + " has two dtype fields");
          }
          if (fv != JsonToken.VALUE_STRING) {
            throw malformed(where + " has no dtype string");
          }
          if (p.getTextLength() > MAX_STRING) {
            throw malformed(where + " has a dtype of " + p.getTextLength() + " characters");
          }
          dtypeName = p.getText();
        }
        case "shape" -> {
          if (shape != null) {
            throw malformed(where + " has two shape fields");
          }
          shape = longs(p, fv, -1, where + " shape");
        }
        case "data_offsets" -> {
          if (off != null) {
            throw malformed(where + " has two data_offsets fields");
          }
          off = longs(p, fv, 2, where + " data_offsets");
        }
        default -> throw malformed(where + " has an unknown field " + Quoted.of(k));
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw malformed(where + " is not closed");
    }
    if (dtypeName == null) {
      throw malformed(where + " has no dtype string");
    }
    DType dtype = SafetensorsDTypes.BY_NAME.get(dtypeName);
    if (dtype == null) {
      throw malformed(where + " has unknown dtype " + Quoted.of(dtypeName));
    }
    if (shape == null) {
      throw malformed(where + " shape must be an array");
    }
    if (off == null) {
      throw malformed(where + " data_offsets must be an array of 2 integers");
    }
    budget.charge(name, shape.length);
    TensorInfo info;
    try {
      info = TensorInfo.create(name, dtype, shape);
    } catch (IllegalArgumentException e) {
      throw malformed(where + ": " + e.getMessage());
    }
    return new SafetensorsReader.Entry(info, off[0], off[1]);
  }

  private long[] longs(JsonParser p, JsonToken v, int count, String where)
      throws IOException, MalformedModelException {
    String want = count >= 0 ? " must be an array of " + count + " integers" : " must be an array";
    if (v != JsonToken.START_ARRAY) {
      throw malformed(where + want);
    }
    long[] out = new long[Math.max(count, 4)];
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT
          || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          || p.getLongValue() < 0) {
        throw malformed(
            where + " must hold integers from 0 to 2^63-1, not " + Quoted.of(p.getText()));
      }
      if (n == (count >= 0 ? count : MAX_RANK)) {
        throw malformed(where + (count >= 0 ? want : " has more than " + MAX_RANK + " dimensions"));
      }
      if (n == out.length) {
        out = java.util.Arrays.copyOf(out, Math.min(2 * n, MAX_RANK));
      }
      out[n++] = p.getLongValue();
    }
    if (count >= 0 && n != count) {
      throw malformed(where + want);
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  private MalformedModelException malformed(String reason) {
    return new MalformedModelException(file, reason);
  }
}
