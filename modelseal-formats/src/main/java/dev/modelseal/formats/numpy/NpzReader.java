package dev.modelseal.formats.numpy;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.Streams;
import dev.modelseal.formats.internal.ZipEntries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads an {@code .npz} archive (a zip of {@code NAME.npy} members, stored or deflated, as {@code
 * np.savez} and {@code np.savez_compressed} write) with {@link java.util.zip.ZipFile}. Each member
 * is a tensor named {@code NAME}.
 *
 * <p>Guarantee: at most {@link ReadLimits#zipEntries()} members, unique names, only stored or
 * deflated {@code .npy} members, each validated as by {@link NpyReader}; a member's data is read
 * exactly (it must end where its header says), so a decompression bomb costs no more than the
 * declared sizes. Column-major members are transposed in memory, up to {@link
 * ReadLimits#inMemoryTensorBytes()}.
 */
public final class NpzReader {
  private NpzReader() {}

  /** Opens {@code file}. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
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
      List<TensorSource> tensors = new ArrayList<>();
      Set<String> names = new HashSet<>();
      int count = 0;
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry e = ZipEntries.next(en, file);
        LimitExceededException.check(file, "zip member count", ++count, limits.zipEntries());
        String n = e.getName();
        if (!names.add(n)) {
          throw new MalformedModelException(file, "zip member '" + n + "' appears twice");
        }
        if (e.isDirectory() || !n.endsWith(".npy")) {
          throw new UnsupportedModelException(
              file,
              "zip member '"
                  + n
                  + "' is not a .npy array; only .npz archives are supported (other zip-based"
                  + " formats are not)");
        }
        if (e.getMethod() != ZipEntry.STORED && e.getMethod() != ZipEntry.DEFLATED) {
          throw new UnsupportedModelException(
              file, "zip member '" + n + "' uses compression method " + e.getMethod());
        }
        tensors.add(member(zip, e, file, limits));
      }
      return TensorModel.of(file, Format.NPZ, tensors, Map.of(), List.of(zip));
    } catch (ModelsealException | RuntimeException e) {
      TensorModel.closeAll(List.of(zip));
      throw e;
    }
  }

  private static TensorSource member(ZipFile zip, ZipEntry e, Path file, ReadLimits limits)
      throws ModelsealException {
    String what = "member '" + e.getName() + "'";
    String name = e.getName().substring(0, e.getName().length() - 4);
    NpyHeader h;
    try (InputStream in = zip.getInputStream(e)) {
      h = NpyHeader.read(in, file, what, name, limits);
    } catch (IOException ex) {
      throw new MalformedModelException(file, what + ": " + ModelIoException.describe(ex), ex);
    }
    long total = h.dataOffset + h.info.byteLength();
    if (e.getSize() >= 0 && e.getSize() != total) {
      throw new MalformedModelException(
          file, what + " is " + e.getSize() + " bytes but its header says " + total);
    }
    if (h.needsTranspose()) {
      LimitExceededException.check(
          file, what + " column-major size", h.info.byteLength(), limits.inMemoryTensorBytes());
    }
    return new Member(zip, e, file, h, what);
  }

  private static final class Member implements TensorSource {
    private final ZipFile zip;
    private final ZipEntry entry;
    private final Path file;
    private final NpyHeader h;
    private final String what;

    Member(ZipFile zip, ZipEntry entry, Path file, NpyHeader h, String what) {
      this.zip = zip;
      this.entry = entry;
      this.file = file;
      this.h = h;
      this.what = what;
    }

    @Override
    public TensorInfo info() {
      return h.info;
    }

    @Override
    public TensorStream open() throws ModelsealException {
      InputStream in;
      try {
        in = zip.getInputStream(entry);
        in.skipNBytes(h.dataOffset);
      } catch (IOException ex) {
        throw new MalformedModelException(file, what + ": " + ModelIoException.describe(ex), ex);
      }
      long len = h.info.byteLength();
      TensorStream raw = Streams.input(in, file, len, what);
      if (!h.needsTranspose()) {
        return Streams.canonical(raw, h.info, file, h.bigEndian);
      }
      byte[] all = new byte[(int) len];
      int off = 0;
      try (raw) {
        for (ByteBuffer b = raw.next(); b != null; b = raw.next()) {
          int n = b.remaining();
          b.get(all, off, n);
          off += n;
        }
      }
      TensorStream t =
          Streams.transposed(ByteBuffer.wrap(all), h.info.shape(), h.info.dtype().bits() / 8);
      return Streams.canonical(t, h.info, file, h.bigEndian);
    }
  }
}
