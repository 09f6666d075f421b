package dev.modelseal.formats.keras;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.internal.Utf8;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a Keras 3 {@code .keras} archive: a zip with {@code config.json}, {@code metadata.json} and
 * {@code model.weights.h5}. The weights file is read in place when stored uncompressed (as Keras
 * writes it); a compressed one is extracted to a private temporary file (owner-only, deleted on
 * close) of at most its declared size, which must fit the free space of the temporary directory.
 *
 * <p>Guarantee: as {@link KerasH5Reader} for the weights; {@code metadata.json} (at most {@link
 * #MAX_JSON_BYTES}) is exposed as metadata, not fingerprinted; {@code config.json} is returned by
 * {@link KerasModelConfig}, never interpreted.
 */
public final class KerasZipReader {
  /** The weights member. */
  public static final String WEIGHTS = "model.weights.h5";

  /** The configuration member. */
  public static final String CONFIG = "config.json";

  /** Largest {@code config.json} or {@code metadata.json} read into memory (64 MiB). */
  public static final long MAX_JSON_BYTES = 64L << 20;

  private KerasZipReader() {}

  /** True when {@code file} is a readable zip holding {@code config.json} and the weights. */
  public static boolean probe(Path file, ReadLimits limits) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return zip.size() <= limits.zipEntries()
          && zip.getEntry(CONFIG) != null
          && zip.getEntry(WEIGHTS) != null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Opens and validates {@code file}. */
  public static TensorModel open(Path file, ReadLimits limits) throws ModelsealException {
    List<Closeable> resources = new ArrayList<>();
    try (ZipFile zip = openZip(file)) {
      checkMembers(zip, file, limits);
      ZipEntry weights = zip.getEntry(WEIGHTS);
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      resources.add(ch);
      StoredMember.Span span = StoredMember.find(ch, WEIGHTS);
      long base;
      long size;
      if (span != null && span.length() == weights.getSize()) {
        base = span.offset();
        size = span.length();
      } else {
        ch.close();
        resources.clear();
        ch = extract(zip, weights, file);
        resources.add(ch);
        base = 0;
        size = ch.size();
      }
      KerasHdf5.Result r = KerasHdf5.read(file, ch, base, size, limits);
      resources.add(0, r.closer());
      Map<String, String> meta = new LinkedHashMap<>(r.metadata());
      ZipEntry m = zip.getEntry("metadata.json");
      if (m != null) {
        meta.put("keras.metadata", text(zip, m, file));
      }
      return TensorModel.of(file, Format.KERAS, r.tensors(), meta, resources);
    } catch (IOException e) {
      TensorModel.closeAll(resources);
      throw ModelIoException.of(file, e);
    } catch (ModelsealException | RuntimeException | Error e) {
      TensorModel.closeAll(resources);
      throw e;
    }
  }

  static ZipFile openZip(Path file) throws ModelsealException {
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new MalformedModelException(file, "not a valid zip archive: " + e.getMessage(), e);
    } catch (java.io.EOFException e) {
      throw new MalformedModelException(file, "not a valid zip archive: truncated", e);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  private static void checkMembers(ZipFile zip, Path file, ReadLimits limits)
      throws ModelsealException {
    int count = 0;
    for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
      en.nextElement();
      LimitExceededException.check(file, "zip member count", ++count, limits.zipEntries());
    }
    for (String need : new String[] {CONFIG, WEIGHTS}) {
      ZipEntry e = zip.getEntry(need);
      if (e == null || e.isDirectory()) {
        throw new MalformedModelException(file, ".keras archive has no " + need);
      }
    }
  }

  /** The UTF-8 text of a member of at most {@link #MAX_JSON_BYTES}. */
  static String text(ZipFile zip, ZipEntry e, Path file) throws ModelsealException {
    String what = "zip member " + Quoted.of(e.getName());
    LimitExceededException.check(file, what + " size", e.getSize(), MAX_JSON_BYTES);
    try (InputStream in = zip.getInputStream(e)) {
      byte[] b = in.readNBytes((int) MAX_JSON_BYTES + 1);
      LimitExceededException.check(file, what + " size", b.length, MAX_JSON_BYTES);
      return Utf8.decode(b);
    } catch (IllegalArgumentException ex) {
      throw new MalformedModelException(file, what + " is not valid UTF-8");
    } catch (IOException ex) {
      throw new MalformedModelException(file, what + ": " + ModelIoException.describe(ex), ex);
    }
  }

  private static FileChannel extract(ZipFile zip, ZipEntry e, Path file)
      throws ModelsealException, IOException {
    long declared = e.getSize();
    if (declared < 0) {
      throw new MalformedModelException(file, WEIGHTS + " has no declared size");
    }
    Path tmp = Files.createTempFile("modelseal-keras-", ".h5");
    FileChannel out = null;
    try {
      LimitExceededException.check(
          file, WEIGHTS + " size to extract", declared, Files.getFileStore(tmp).getUsableSpace());
      out =
          FileChannel.open(
              tmp,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              StandardOpenOption.DELETE_ON_CLOSE);
      try (InputStream in = zip.getInputStream(e)) {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        while (true) {
          int n;
          try {
            n = in.read(buf);
          } catch (IOException ex) {
            // inflating or reading the member failed: its bytes are corrupt
            throw new MalformedModelException(
                file, WEIGHTS + ": " + ModelIoException.describe(ex), ex);
          }
          if (n < 0) {
            break;
          }
          total += n;
          if (total > declared) {
            throw new MalformedModelException(file, WEIGHTS + " is longer than its declared size");
          }
          ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
          while (b.hasRemaining()) {
            out.write(b);
          }
        }
        if (total != declared) {
          throw new MalformedModelException(file, WEIGHTS + " ends before its declared size");
        }
      }
      return out;
    } catch (ModelsealException | IOException | RuntimeException ex) {
      if (out != null) {
        out.close();
      }
      Files.deleteIfExists(tmp);
      throw ex;
    }
  }
}
