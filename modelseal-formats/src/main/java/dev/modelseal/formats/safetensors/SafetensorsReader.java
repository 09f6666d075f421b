package dev.modelseal.formats.safetensors;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.internal.ReadChannel;
import dev.modelseal.formats.internal.RegionSource;
import dev.modelseal.formats.internal.TableBudget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /** One tensor of the header: what it is and where its bytes are in the data buffer. */
  record Entry(TensorInfo info, long begin, long end) {}

  static Parsed parse(FileChannel ch, Path file, ReadLimits limits) throws ModelsealException {
    return parse(ch, file, limits, TableBudget.of(file, "the header's tensors and keys", limits));
  }

  /** Parses one file, charging its table to {@code budget} (shared by the shards of a model). */
  static Parsed parse(FileChannel ch, Path file, ReadLimits limits, TableBudget budget)
      throws ModelsealException {
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
    SafetensorsHeader.Content h = SafetensorsHeader.read(ch, file, n, limits, budget);
    Map<String, String> metadata = h.metadata();
    List<Entry> entries = h.entries();
    entries.sort((a, b) -> TensorInfo.NAME_ORDER.compare(a.info.name(), b.info.name()));
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).info.name().equals(entries.get(i - 1).info.name())) {
        throw new MalformedModelException(
            file, "the header names tensor " + Quoted.of(entries.get(i).info.name()) + " twice");
      }
    }
    entries.sort(
        (a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
    long expected = 0;
    for (Entry e : entries) {
      String name = Quoted.of(e.info.name());
      if (e.end < e.begin) {
        throw new MalformedModelException(
            file, "tensor " + name + " ends (" + e.end + ") before it begins (" + e.begin + ")");
      }
      if (e.begin != expected) {
        throw new MalformedModelException(
            file,
            "tensor "
                + name
                + " begins at "
                + e.begin
                + " but the previous tensor ends at "
                + expected
                + (e.begin < expected ? " (overlap)" : " (gap)"));
      }
      if (e.end - e.begin != e.info.byteLength()) {
        throw new MalformedModelException(
            file,
            "tensor "
                + name
                + " spans "
                + (e.end - e.begin)
                + " bytes but "
                + shapeText(e.info)
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

  /** The dtype and shape for a message: {@code float32[2, 3]}, or the rank when it is long. */
  private static String shapeText(TensorInfo info) {
    String s = info.shapeText();
    return info.dtype() + (s.length() <= 80 ? s : " of " + info.rank() + " dimensions");
  }

  static String firstLine(String m) {
    if (m == null) {
      return "malformed";
    }
    int nl = m.indexOf('\n');
    return nl >= 0 ? m.substring(0, nl) : m;
  }
}
