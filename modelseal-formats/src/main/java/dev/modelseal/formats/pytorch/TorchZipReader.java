package dev.modelseal.formats.pytorch;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.Streams;
import dev.modelseal.formats.internal.ZipEntries;
import dev.modelseal.formats.pickle.PickleLimits;
import dev.modelseal.formats.pickle.PickleMachine;
import dev.modelseal.formats.pickle.PickleTree;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the {@code torch.save} zip format and the tensors of TorchScript archives: {@code
 * PREFIX/data.pkl} (interpreted without executing anything, see {@link TorchResolver}), {@code
 * PREFIX/data/KEY} storages, {@code PREFIX/byteorder} ({@code little} or {@code big}, little when
 * absent). Tensor names are the state dict keys, or for TorchScript the module attribute paths
 * ({@code lin.weight}); TorchScript {@code code/} and {@code constants.pkl} are not read.
 *
 * <p>Guarantee: every member name lies under the one archive prefix (no absolute names, {@code ..},
 * backslashes or control characters), names are unique, members are stored or deflated and read
 * exactly to their declared sizes (a deflate bomb costs no more than the declared sizes), each
 * storage member is exactly its declared element count, and every tensor view lies inside its
 * storage. {@code data.pkl} and every storage read whole must match their CRC-32, as torch checks.
 *
 * <p>Not checked: the CRC-32 of a storage only partly viewed (it is not read whole), and agreement
 * of local file headers with the central directory (names and sizes come from the central
 * directory).
 */
public final class TorchZipReader {
  private TorchZipReader() {}

  /**
   * The format of a zip that holds one {@code PREFIX/data.pkl}: {@link Format#TORCHSCRIPT} when it
   * also has {@code PREFIX/code/} or {@code PREFIX/constants.pkl}, else {@link Format#PYTORCH};
   * null when it is no PyTorch archive (or not a readable zip).
   */
  public static Format probe(Path file, ReadLimits limits) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String prefix = null;
      boolean script = false;
      int count = 0;
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        if (++count > limits.zipEntries()) {
          break;
        }
        String n = en.nextElement().getName();
        int slash = n.indexOf('/');
        if (slash > 0 && n.indexOf('/', slash + 1) < 0 && n.endsWith("/data.pkl")) {
          prefix = n.substring(0, slash);
        }
        if (slash > 0 && (n.startsWith("code/", slash + 1) || n.endsWith("/constants.pkl"))) {
          script = true;
        }
      }
      if (prefix == null) {
        return null;
      }
      return script ? Format.TORCHSCRIPT : Format.PYTORCH;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Opens {@code file} with the default pickle limits. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    return open(file, limits, PickleLimits.defaults());
  }

  /** Opens {@code file}. */
  public static TensorModel open(Path file, ReadLimits limits, PickleLimits pickleLimits)
      throws ModelsealException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new MalformedModelException(file, "not a valid zip archive: " + e.getMessage(), e);
    } catch (java.io.EOFException e) {
      // ZipFile reads a claimed end record or central directory past the end of the file.
      throw new MalformedModelException(file, "not a valid zip archive: truncated", e);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    try {
      return read(zip, file, limits, pickleLimits);
    } catch (ModelsealException | RuntimeException e) {
      TensorModel.closeAll(List.of(zip));
      throw e;
    }
  }

  private static TensorModel read(ZipFile zip, Path file, ReadLimits limits, PickleLimits pl)
      throws ModelsealException {
    Map<String, ZipEntry> entries = new HashMap<>();
    String prefix = null;
    int count = 0;
    for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
      ZipEntry e = ZipEntries.next(en, file);
      LimitExceededException.check(file, "zip member count", ++count, limits.zipEntries());
      String n = e.getName();
      if (entries.put(n, e) != null) {
        throw new MalformedModelException(file, "zip member '" + n + "' appears twice");
      }
      int slash = n.indexOf('/');
      if (slash > 0 && n.indexOf('/', slash + 1) < 0 && n.endsWith("/data.pkl")) {
        if (prefix != null) {
          throw new MalformedModelException(
              file, "zip has two archives ('" + prefix + "/data.pkl' and '" + n + "')");
        }
        prefix = n.substring(0, slash);
      }
    }
    if (prefix == null) {
      throw new UnsupportedModelException(
          file, "zip has no PREFIX/data.pkl: not a PyTorch archive");
    }
    for (ZipEntry e : entries.values()) {
      checkMember(e, prefix, file);
    }
    String p = prefix + "/";
    boolean script =
        entries.containsKey(p + "constants.pkl")
            || entries.keySet().stream().anyMatch(n -> n.startsWith(p + "code/"));
    boolean big = false;
    ZipEntry bo = entries.get(p + "byteorder");
    if (bo != null) {
      String order = new String(readAll(zip, bo, 16, file), StandardCharsets.US_ASCII);
      if (order.equals("big")) {
        big = true;
      } else if (!order.equals("little")) {
        throw new MalformedModelException(
            file, "zip member '" + bo.getName() + "' is neither 'little' nor 'big'");
      }
    }
    ZipEntry pklEntry = entries.get(p + "data.pkl");
    String what = "zip member '" + pklEntry.getName() + "'";
    byte[] pkl = readAll(zip, pklEntry, pl.pickleBytes(), file);
    TorchResolver resolver = new TorchResolver(file, what, false);
    PickleMachine.Result r = PickleMachine.run(pkl, file, what, resolver, pl);
    Map<String, TensorRef> named = PickleTree.tensors(r.value(), TensorRef.class, file, what, pl);
    Map<String, StorageData> data = new HashMap<>();
    for (StorageRef s : resolver.storages().values()) {
      ZipEntry e = entries.get(p + "data/" + s.key());
      if (e == null) {
        throw new MalformedModelException(
            file, "storage '" + s.key() + "' has no zip member '" + p + "data/" + s.key() + "'");
      }
      long want;
      try {
        want = Math.multiplyExact(s.numel(), (long) TorchTensors.width(s.dtype()));
      } catch (ArithmeticException ex) {
        throw new MalformedModelException(file, "storage '" + s.key() + "' size overflows", ex);
      }
      if (e.getSize() != want) {
        throw new MalformedModelException(
            file,
            "zip member '"
                + e.getName()
                + "' is "
                + e.getSize()
                + " bytes but its storage of "
                + s.numel()
                + " "
                + s.dtype()
                + " needs "
                + want);
      }
      data.put(s.key(), new Member(zip, e, file));
    }
    List<TensorSource> sources = TorchTensors.sources(named, data, file, big, limits);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("pytorch.archive", prefix);
    meta.put("pytorch.byteorder", big ? "big" : "little");
    meta.put("pytorch.globals", TorchResolver.globals(r.imports()));
    return TensorModel.of(
        file, script ? Format.TORCHSCRIPT : Format.PYTORCH, sources, meta, List.of(zip));
  }

  private static void checkMember(ZipEntry e, String prefix, Path file) throws FormatException {
    String n = e.getName();
    String bad = null;
    if (!n.startsWith(prefix + "/")) {
      bad = "is outside the archive folder '" + prefix + "'";
    } else if (n.indexOf('\\') >= 0) {
      bad = "has a backslash";
    } else {
      for (String seg : n.substring(prefix.length() + 1).split("/", -1)) {
        if (seg.equals("..") || seg.equals(".")) {
          bad = "has a '" + seg + "' segment";
        }
      }
      for (int i = 0; i < n.length() && bad == null; i++) {
        if (n.charAt(i) < 0x20 || n.charAt(i) == 0x7f) {
          bad = "has a control character";
        }
      }
    }
    if (bad != null) {
      throw new MalformedModelException(file, "zip member name " + Quoted.of(n) + " " + bad);
    }
    if (e.getMethod() != ZipEntry.STORED && e.getMethod() != ZipEntry.DEFLATED) {
      throw new UnsupportedModelException(
          file, "zip member '" + n + "' uses compression method " + e.getMethod());
    }
    if (e.getSize() < 0) {
      throw new MalformedModelException(file, "zip member '" + n + "' has no declared size");
    }
  }

  /** The whole member, at most {@code max} bytes, exactly its declared size. */
  static byte[] readAll(ZipFile zip, ZipEntry e, long max, Path file) throws ModelsealException {
    String what = "zip member '" + e.getName() + "'";
    LimitExceededException.check(file, what + " size", e.getSize(), max);
    int size = (int) e.getSize();
    try (InputStream in = zip.getInputStream(e)) {
      byte[] b = in.readNBytes(size);
      if (b.length != size) {
        throw new MalformedModelException(file, what + " ends before its declared size");
      }
      if (in.read() >= 0) {
        throw new MalformedModelException(file, what + " is longer than its declared size");
      }
      CRC32 crc = new CRC32();
      crc.update(b);
      if (e.getCrc() >= 0 && crc.getValue() != e.getCrc()) {
        throw new MalformedModelException(file, what + ": CRC-32 mismatch (the member is corrupt)");
      }
      return b;
    } catch (IOException ex) {
      throw new MalformedModelException(file, what + ": " + ModelIoException.describe(ex), ex);
    }
  }

  private static final class Member implements StorageData {
    private final ZipFile zip;
    private final ZipEntry entry;
    private final Path file;

    Member(ZipFile zip, ZipEntry entry, Path file) {
      this.zip = zip;
      this.entry = entry;
      this.file = file;
    }

    @Override
    public long length() {
      return entry.getSize();
    }

    @Override
    public TensorStream range(long from, long length) throws ModelsealException {
      String what = "zip member '" + entry.getName() + "'";
      InputStream in;
      try {
        in = zip.getInputStream(entry);
        in.skipNBytes(from);
      } catch (IOException ex) {
        throw new MalformedModelException(file, what + ": " + ModelIoException.describe(ex), ex);
      }
      long crc = from == 0 && length == entry.getSize() ? entry.getCrc() : -1;
      return Streams.input(new Bounded(in, length, crc), file, length, what);
    }
  }

  /**
   * Reads at most {@code left} bytes of {@code in}, then reports the end; when {@code crc} is not
   * negative (the range is the whole member), the bytes must have that CRC-32, as torch checks.
   */
  private static final class Bounded extends FilterInputStream {
    private final long crc;
    private final CRC32 sum = new CRC32();
    private long left;

    Bounded(InputStream in, long left, long crc) {
      super(in);
      this.left = left;
      this.crc = crc;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
        if (crc >= 0) {
          sum.update(b, off, n);
          if (left == 0 && sum.getValue() != crc) {
            throw new IOException("CRC-32 mismatch (the member is corrupt)");
          }
        }
      }
      return n;
    }
  }
}
