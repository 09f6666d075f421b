package dev.modelseal.formats.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.internal.ReadChannel;
import dev.modelseal.formats.internal.RegionSource;
import dev.modelseal.formats.internal.Utf8;
import dev.modelseal.internal.StrictJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one safetensors file: {@code u64 N}, N bytes of JSON header, the data buffer.
 *
 * <p>Guarantee: a returned model's tensors tile the data buffer exactly (first at 0, no gap, no
 * overlap, each span equal to dtype x shape, the buffer ending at the end of the file), the header
 * is UTF-8 JSON without duplicate keys, every dtype is known and {@code __metadata__} maps strings
 * to strings. Everything the reference reader rejects is rejected ({@code formats.md}). Only the
 * header is read when opening; tensor data is streamed on demand.
 */
public final class SafetensorsReader {
  private SafetensorsReader() {}

  /**
   * True when {@code probe} starts like a safetensors file: a little-endian u64 header length of at
   * least 2 (the shortest header, {@code {}}) that fits the content when its size is known, then
   * {@code {}. The one safetensors sniff of the detector and the scanner.
   */
  public static boolean sniff(FormatProbe probe) {
    if (probe.headLength() < 9 || probe.headByte(8) != '{') {
      return false;
    }
    long n = probe.headU64(0);
    return n >= 2 && (probe.size() < 0 || n <= probe.size() - 8);
  }

  /** Opens and validates {@code file}. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    return ReadChannel.read(
        file,
        (ch, size) -> {
          Parsed p = parse(ch, file, limits);
          return TensorModel.of(file, Format.SAFETENSORS, p.tensors, p.metadata, List.of(ch));
        });
  }

  /** The validated content of one file. */
  static final class Parsed {
    final List<RegionSource> tensors;
    final Map<String, String> metadata;

    Parsed(List<RegionSource> tensors, Map<String, String> metadata) {
      this.tensors = tensors;
      this.metadata = metadata;
    }
  }

  private record Entry(TensorInfo info, long begin, long end) {}

  static Parsed parse(FileChannel ch, Path file, ReadLimits limits) throws ModelsealException {
    long size;
    try {
      size = ch.size();
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    if (size < 8) {
      throw new MalformedModelException(
          file, "safetensors file is " + size + " bytes, shorter than its 8-byte header length");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, file, lenBuf, 0);
    long n = lenBuf.flip().getLong();
    LimitExceededException.check(
        file, "safetensors header length", n, limits.safetensorsHeaderBytes());
    if (n > size - 8) {
      throw new MalformedModelException(
          file, "safetensors header length " + n + " runs past the end of the file (" + size + ")");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) n);
    readFully(ch, file, hb, 8);
    byte[] header = hb.array();
    String text;
    try {
      text = Utf8.decode(header);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, "safetensors header is not valid UTF-8");
    }
    if (text.isEmpty() || text.charAt(0) != '{') {
      throw new MalformedModelException(file, "safetensors header does not start with '{'");
    }
    JsonNode root;
    try {
      root = StrictJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new MalformedModelException(
          file, "safetensors header is not valid JSON: " + firstLine(e.getOriginalMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedModelException(file, "safetensors header is not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> f : root.properties()) {
      if (f.getKey().equals("__metadata__")) {
        readMetadata(file, f.getValue(), metadata);
        continue;
      }
      LimitExceededException.check(file, "tensor count", entries.size() + 1L, limits.tensors());
      entries.add(entry(file, f.getKey(), f.getValue()));
    }
    entries.sort(
        (a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
    long expected = 0;
    for (Entry e : entries) {
      String name = e.info.name();
      if (e.end < e.begin) {
        throw new MalformedModelException(
            file, "tensor '" + name + "' ends (" + e.end + ") before it begins (" + e.begin + ")");
      }
      if (e.begin != expected) {
        throw new MalformedModelException(
            file,
            "tensor '"
                + name
                + "' begins at "
                + e.begin
                + " but the previous tensor ends at "
                + expected
                + (e.begin < expected ? " (overlap)" : " (gap)"));
      }
      if (e.end - e.begin != e.info.byteLength()) {
        throw new MalformedModelException(
            file,
            "tensor '"
                + name
                + "' spans "
                + (e.end - e.begin)
                + " bytes but "
                + e.info.dtype()
                + e.info.shapeText()
                + " is "
                + e.info.byteLength());
      }
      expected = e.end;
    }
    long dataStart = 8 + n;
    if (expected != size - dataStart) {
      throw new MalformedModelException(
          file,
          "the tensors end at byte "
              + (dataStart + expected)
              + " but the file has "
              + size
              + (expected < size - dataStart ? " (trailing bytes)" : " (truncated)"));
    }
    List<RegionSource> sources = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      sources.add(new RegionSource(e.info, ch, file, dataStart + e.begin, false));
    }
    return new Parsed(sources, metadata);
  }

  private static void readMetadata(Path file, JsonNode m, Map<String, String> out)
      throws MalformedModelException {
    if (m.isNull()) {
      return;
    }
    if (!m.isObject()) {
      throw new MalformedModelException(file, "__metadata__ is not an object");
    }
    for (Map.Entry<String, JsonNode> f : m.properties()) {
      if (!f.getValue().isTextual()) {
        throw new MalformedModelException(
            file, "__metadata__ value of '" + f.getKey() + "' is not a string");
      }
      out.put(f.getKey(), f.getValue().textValue());
    }
  }

  private static Entry entry(Path file, String name, JsonNode t) throws MalformedModelException {
    String where = "tensor '" + name + "'";
    if (!t.isObject()) {
      throw new MalformedModelException(file, where + " is not a JSON object");
    }
    for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
        throw new MalformedModelException(file, where + " has an unknown field '" + k + "'");
      }
    }
    JsonNode dt = t.get("dtype");
    if (dt == null || !dt.isTextual()) {
      throw new MalformedModelException(file, where + " has no dtype string");
    }
    DType dtype = SafetensorsDTypes.BY_NAME.get(dt.textValue());
    if (dtype == null) {
      throw new MalformedModelException(
          file, where + " has unknown dtype '" + dt.textValue() + "'");
    }
    long[] shape = longs(file, t.get("shape"), -1, where + " shape");
    long[] off = longs(file, t.get("data_offsets"), 2, where + " data_offsets");
    TensorInfo info;
    try {
      info = TensorInfo.create(name, dtype, shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, where + ": " + e.getMessage());
    }
    return new Entry(info, off[0], off[1]);
  }

  private static long[] longs(Path file, JsonNode a, int count, String where)
      throws MalformedModelException {
    if (a == null || !a.isArray() || (count >= 0 && a.size() != count)) {
      throw new MalformedModelException(
          file,
          where
              + (count >= 0 ? " must be an array of " + count + " integers" : " must be an array"));
    }
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = a.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
        throw new MalformedModelException(
            file, where + " must hold integers from 0 to 2^63-1, not " + v);
      }
      out[i] = v.longValue();
    }
    return out;
  }

  private static void readFully(FileChannel ch, Path file, ByteBuffer b, long pos)
      throws ModelsealException {
    try {
      while (b.hasRemaining()) {
        if (ch.read(b, pos + b.position()) < 0) {
          throw new MalformedModelException(file, "file ends inside the safetensors header");
        }
      }
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  static String firstLine(String m) {
    if (m == null) {
      return "malformed";
    }
    int nl = m.indexOf('\n');
    return nl >= 0 ? m.substring(0, nl) : m;
  }
}
