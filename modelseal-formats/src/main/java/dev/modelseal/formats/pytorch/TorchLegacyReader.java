package dev.modelseal.formats.pytorch;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.FormatProbe;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.StoredRegion;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.ReadChannel;
import dev.modelseal.formats.internal.Streams;
import dev.modelseal.formats.pickle.PickleLimits;
import dev.modelseal.formats.pickle.PickleMachine;
import dev.modelseal.formats.pickle.PickleResolver;
import dev.modelseal.formats.pickle.PickleTree;
import dev.modelseal.formats.pickle.PyDict;
import dev.modelseal.formats.pickle.PyList;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the legacy {@code torch.save} format (before PyTorch 1.6, or {@code
 * _use_new_zipfile_serialization=False}): five pickles in sequence (the magic number
 * 0x1950a86a20f9469cfc6c, the protocol version 1001, system info, the object, the list of storage
 * keys), then each listed storage as an 8-byte element count followed by its elements, in the byte
 * order system info names.
 *
 * <p>Guarantee: the first, second, third and fifth pickles may name no global at all; the object
 * pickle only the globals {@link TorchResolver} accepts; each storage's count must equal the count
 * its persistent id declares, storages must be exactly the referenced ones, and the file must end
 * with the last storage (no trailing bytes).
 */
public final class TorchLegacyReader {
  /** The magic number, as torch writes it. */
  static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

  private TorchLegacyReader() {}

  /** The magic number pickled by protocols 0 and 1: {@code LONG} in decimal text, then newline. */
  private static final byte[] TEXT_MAGIC =
      ("L" + MAGIC + "L\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * The magic number pickled by protocols 2 to 5: {@code LONG1 10} and its bytes, little-endian.
   */
  private static final byte[] LONG1_MAGIC = {
    (byte) 0x8a,
    10,
    0x6c,
    (byte) 0xfc,
    (byte) 0x9c,
    0x46,
    (byte) 0xf9,
    0x20,
    0x6a,
    (byte) 0xa8,
    0x50,
    0x19
  };

  /**
   * True when {@code probe}'s head starts with a pickle of the legacy magic number: {@code LONG} as
   * text (protocols 0 and 1, {@code torch.save(..., pickle_protocol=1)}), or {@code PROTO n}, a
   * {@code FRAME} (8-byte length) when n is 4 or 5 ({@code torch.save(..., pickle_protocol=4)}),
   * {@code LONG1 10}, the 10 magic bytes little-endian.
   */
  public static boolean probe(FormatProbe probe) {
    if (probe.headMatches(0, TEXT_MAGIC)) {
      return true;
    }
    if (probe.headByte(0) != 0x80) {
      return false;
    }
    int version = probe.headByte(1);
    boolean framed = (version == 4 || version == 5) && probe.headByte(2) == 0x95;
    return probe.headMatches(framed ? 11 : 2, LONG1_MAGIC); // FRAME: opcode and 8-byte length
  }

  /** Opens {@code file} with the default pickle limits. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    return open(file, limits, PickleLimits.defaults());
  }

  /** Opens {@code file}. */
  public static TensorModel open(Path file, ReadLimits limits, PickleLimits pl)
      throws ModelsealException {
    return ReadChannel.read(file, (ch, size) -> read(ch, file, limits, pl));
  }

  private static TensorModel read(FileChannel ch, Path file, ReadLimits limits, PickleLimits pl)
      throws ModelsealException {
    long size;
    InputStream in;
    try {
      size = ch.size();
      in = new BufferedInputStream(Channels.newInputStream(ch.position(0L)), 1 << 16);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    PickleResolver none = refuseAll(file);
    long pos = 0;
    PickleMachine.Result magic = PickleMachine.run(in, size, file, "magic number pickle", none, pl);
    pos += magic.length();
    if (!(magic.value() instanceof BigInteger m) || !m.equals(MAGIC)) {
      throw new UnsupportedModelException(
          file, "not a legacy PyTorch file: the first pickle is not the magic number");
    }
    PickleMachine.Result version =
        PickleMachine.run(in, size - pos, file, "protocol version pickle", none, pl);
    pos += version.length();
    if (!Long.valueOf(1001).equals(version.value())) {
      throw new UnsupportedModelException(
          file, "legacy PyTorch protocol version " + version.value() + " is not 1001");
    }
    PickleMachine.Result sys =
        PickleMachine.run(in, size - pos, file, "system info pickle", none, pl);
    pos += sys.length();
    boolean big = false;
    if (sys.value() instanceof PyDict d && d.get("little_endian") instanceof Boolean le) {
      big = !le;
    }
    String what = "object pickle";
    TorchResolver resolver = new TorchResolver(file, what, true);
    PickleMachine.Result obj = PickleMachine.run(in, size - pos, file, what, resolver, pl);
    pos += obj.length();
    PickleMachine.Result keys =
        PickleMachine.run(in, size - pos, file, "storage keys pickle", none, pl);
    pos += keys.length();
    if (!(keys.value() instanceof PyList list)) {
      throw new MalformedModelException(file, "the storage keys pickle is not a list");
    }
    Map<String, TensorRef> named = PickleTree.tensors(obj.value(), TensorRef.class, file, what, pl);
    Map<String, StorageRef> refs = resolver.storages();
    if (list.items().size() != refs.size()) {
      throw new MalformedModelException(
          file,
          list.items().size() + " storages are listed but the object references " + refs.size());
    }
    Map<String, StorageData> data = new HashMap<>();
    ByteBuffer count =
        ByteBuffer.allocate(8).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    for (Object k : list.items()) {
      if (!(k instanceof String key) || !refs.containsKey(key) || data.containsKey(key)) {
        throw new MalformedModelException(
            file, "the storage key list names " + k + ", which no tensor references (or twice)");
      }
      StorageRef s = refs.get(key);
      if (size - pos < 8) {
        throw new MalformedModelException(file, "the file ends before storage '" + key + "'");
      }
      readFully(ch, count.clear(), pos, file);
      long n = count.flip().getLong();
      if (n != s.numel()) {
        throw new MalformedModelException(
            file,
            "storage '" + key + "' holds " + n + " elements but its tensors declare " + s.numel());
      }
      long bytes;
      try {
        bytes = Math.multiplyExact(n, (long) TorchTensors.width(s.dtype()));
      } catch (ArithmeticException ex) {
        throw new MalformedModelException(file, "storage '" + key + "' size overflows", ex);
      }
      pos += 8;
      if (bytes > size - pos) {
        throw new MalformedModelException(
            file,
            "storage '"
                + key
                + "' needs "
                + bytes
                + " bytes, more than the "
                + (size - pos)
                + " left");
      }
      data.put(key, new Region(ch, file, pos, bytes));
      pos += bytes;
    }
    if (pos != size) {
      throw new MalformedModelException(file, (size - pos) + " bytes follow the last storage");
    }
    List<TensorSource> sources = TorchTensors.sources(named, data, file, big, limits);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("pytorch.byteorder", big ? "big" : "little");
    meta.put("pytorch.globals", TorchResolver.globals(obj.imports()));
    return TensorModel.of(file, Format.PYTORCH_LEGACY, sources, meta, List.of(ch));
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file)
      throws ModelsealException {
    try {
      while (b.hasRemaining()) {
        if (ch.read(b, pos + b.position()) < 0) {
          throw new MalformedModelException(file, "file ends inside a storage header");
        }
      }
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  private static PickleResolver refuseAll(Path file) {
    return new PickleResolver() {
      @Override
      public Object call(Call c) throws FormatException {
        throw new UnsupportedModelException(
            file,
            "a header pickle calls '"
                + c.callable()
                + "' at offset "
                + c.offset()
                + " (refused, not executed)");
      }

      @Override
      public Object persistentLoad(Object pid, long offset) throws FormatException {
        throw new UnsupportedModelException(
            file, "a header pickle has a persistent id at offset " + offset);
      }
    };
  }

  private static final class Region implements StorageData {
    private final FileChannel ch;
    private final Path file;
    private final long offset;
    private final long length;

    Region(FileChannel ch, Path file, long offset, long length) {
      this.ch = ch;
      this.file = file;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public TensorStream range(long from, long len) {
      return Streams.region(ch, file, offset + from, len);
    }

    @Override
    public Optional<StoredRegion> region(long from, long len) {
      return Optional.of(StoredRegion.of(ch, file, offset + from, len));
    }
  }
}
