package dev.modelseal.formats.savedmodel;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.DType;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.Utf8;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the variables of a TensorFlow SavedModel (or any TensorFlow checkpoint): the tensor bundle
 * index {@code variables/variables.index} and its data shards {@code
 * variables.data-0000K-of-0000N}.
 *
 * <p>Tensor names are the checkpoint keys ({@code layer_with_weights-0/kernel/.ATTRIBUTES/
 * VARIABLE_VALUE}). {@code DT_STRING} entries (the {@code _CHECKPOINTABLE_OBJECT_GRAPH} and string
 * variables) are not weights: they are listed in the metadata ({@code savedmodel.string.<key>}) and
 * not fingerprinted.
 *
 * <p>Guarantee: the index is a well-formed table (footer magic, every block's masked CRC32C, block
 * handles and entry lengths inside the file, keys strictly increasing) whose first entry is the
 * bundle header; every shard the header announces exists; every tensor's dtype has a canonical
 * form, its byte range lies inside its shard and is exactly the size its dtype and shape need; its
 * masked CRC32C is checked while its bytes stream, and a mismatch fails the read. Partitioned
 * (sliced) variables are refused. The index is held in memory (at most {@link
 * ReadLimits#indexBytes()}); data is streamed. Nothing is executed. A table whose header entry is a
 * tensor-slices meta is a V1 checkpoint, read by {@link TensorSlices}; a SavedModel directory
 * without {@code variables/variables.index} (a graph of constants) has no tensors.
 */
public final class SavedModelReader {
  /** The index file of a SavedModel directory, relative to it. */
  public static final String INDEX = "variables/variables.index";

  /** The graph file of a SavedModel directory. */
  public static final String GRAPH = "saved_model.pb";

  /** Most data shards (10,000). */
  public static final int MAX_SHARDS = 10_000;

  private SavedModelReader() {}

  /**
   * True when {@code dir} holds {@code saved_model.pb} (with {@code variables/variables.index}, or
   * without variables: a graph of constants).
   */
  public static boolean isSavedModelDir(Path dir) {
    return Files.isRegularFile(dir.resolve(GRAPH));
  }

  /** True when {@code file} ends with the table magic of a tensor bundle index. */
  public static boolean sniffIndex(Path file) throws ModelIoException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return SsTable.hasMagic(ch);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }

  /** Opens a SavedModel directory or a bundle index file ({@code PREFIX.index}). */
  public static TensorModel open(Path path, ReadLimits limits) throws ModelsealException {
    if (Files.isDirectory(path) && !Files.exists(path.resolve(INDEX), LinkOption.NOFOLLOW_LINKS)) {
      return graphOnly(path);
    }
    Path index = Files.isDirectory(path) ? path.resolve(INDEX) : path;
    List<SsTable.Entry> entries;
    try (FileChannel ch = FileChannel.open(index, StandardOpenOption.READ)) {
      LimitExceededException.check(index, "the index file size", ch.size(), limits.indexBytes());
      entries = SsTable.read(ch, index, limits.tensors() + 1, limits.indexBytes());
    } catch (IOException e) {
      throw ModelIoException.of(index, e);
    }
    if (entries.isEmpty() || entries.get(0).key().length != 0) {
      throw new MalformedModelException(index, "the table has no bundle header (empty key)");
    }
    if (TensorSlices.isMeta(entries.get(0).value())) {
      return TensorSlices.read(path, index, entries, limits);
    }
    String name = index.getFileName().toString();
    if (!name.endsWith(".index")) {
      throw new UnsupportedModelException(
          index, "a tensor bundle index must be named PREFIX.index to locate its data shards");
    }
    String prefix = name.substring(0, name.length() - ".index".length());
    List<Closeable> resources = new ArrayList<>();
    try {
      return read(path, index, prefix, entries, resources);
    } catch (ModelsealException | RuntimeException e) {
      TensorModel.closeAll(resources);
      throw e;
    }
  }

  /**
   * A SavedModel without {@code variables/variables.index}: its graph holds constants only (what
   * TensorFlow 1.x's builder writes for a graph without variables, and the loader accepts), so it
   * has no variables to fingerprint: 0 tensors. A {@code variables/} directory holding anything
   * (data shards without their index) is malformed.
   */
  private static TensorModel graphOnly(Path dir) throws ModelsealException {
    Path vars = dir.resolve("variables");
    if (Files.isDirectory(vars, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(vars)) {
        if (ds.iterator().hasNext()) {
          throw new MalformedModelException(
              dir, "variables/ holds files but no variables.index to read them by");
        }
      } catch (IOException e) {
        throw ModelIoException.of(vars, e);
      }
    } else if (Files.exists(vars, LinkOption.NOFOLLOW_LINKS)) {
      throw new MalformedModelException(dir, "variables is not a directory");
    }
    return TensorModel.of(
        dir, Format.SAVEDMODEL, List.of(), Map.of("savedmodel.variables", "none"), List.of());
  }

  private static TensorModel read(
      Path path, Path index, String prefix, List<SsTable.Entry> entries, List<Closeable> resources)
      throws ModelsealException {
    BundleHeader header = BundleHeader.parse(entries.get(0).value(), index);
    List<FileChannel> shards = new ArrayList<>();
    List<Long> shardSizes = new ArrayList<>();
    List<Path> shardPaths = new ArrayList<>();
    for (int k = 0; k < header.numShards(); k++) {
      Path shard =
          index.resolveSibling(
              String.format(Locale.ROOT, "%s.data-%05d-of-%05d", prefix, k, header.numShards()));
      try {
        FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ);
        resources.add(ch);
        shards.add(ch);
        shardSizes.add(ch.size());
        shardPaths.add(shard);
      } catch (NoSuchFileException e) {
        throw new MalformedModelException(
            index, "data shard " + shard.getFileName() + " is missing");
      } catch (IOException e) {
        throw ModelIoException.of(shard, e);
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("savedmodel.num_shards", Long.toString(header.numShards()));
    List<CheckedSource> sources = new ArrayList<>();
    for (SsTable.Entry e : entries.subList(1, entries.size())) {
      String key;
      try {
        key = Utf8.decode(e.key());
      } catch (IllegalArgumentException x) {
        throw new MalformedModelException(index, "a tensor name is not UTF-8");
      }
      BundleEntry be = BundleEntry.parse(e.value(), index, key);
      if (be.dtype() == TfDataTypes.DT_STRING) {
        metadata.put("savedmodel.string." + key, "DT_STRING, " + be.size() + " bytes");
        continue;
      }
      sources.add(source(index, key, be, header, shards, shardSizes, shardPaths));
    }
    return TensorModel.of(path, Format.SAVEDMODEL, sources, metadata, resources);
  }

  private static CheckedSource source(
      Path index,
      String key,
      BundleEntry be,
      BundleHeader header,
      List<FileChannel> shards,
      List<Long> shardSizes,
      List<Path> shardPaths)
      throws FormatException {
    if (be.sliced()) {
      throw new UnsupportedModelException(
          index, "tensor " + Quoted.of(key) + " is a partitioned (sliced) variable");
    }
    DType dtype = TfDataTypes.dtype(be.dtype());
    if (dtype == null) {
      throw new UnsupportedModelException(
          index,
          "tensor "
              + Quoted.of(key)
              + " has DataType "
              + be.dtype()
              + ", which has no canonical dtype");
    }
    TensorInfo info;
    try {
      info = TensorInfo.create(key, dtype, be.shape());
    } catch (IllegalArgumentException x) {
      throw new MalformedModelException(index, "tensor " + Quoted.of(key) + ": " + x.getMessage());
    }
    if (be.shard() < 0 || be.shard() >= shards.size()) {
      throw new MalformedModelException(
          index,
          "tensor "
              + Quoted.of(key)
              + " is in shard "
              + Long.toUnsignedString(be.shard())
              + " of "
              + shards.size());
    }
    if (info.byteLength() != be.size()) {
      throw new MalformedModelException(
          index,
          "tensor "
              + Quoted.of(key)
              + " has "
              + Long.toUnsignedString(be.size())
              + " bytes but "
              + dtype
              + info.shapeText()
              + " needs "
              + info.byteLength());
    }
    long shardSize = shardSizes.get((int) be.shard());
    if (be.offset() < 0 || be.size() > shardSize - be.offset()) {
      throw new MalformedModelException(
          index,
          "tensor "
              + Quoted.of(key)
              + " at offset "
              + Long.toUnsignedString(be.offset())
              + " of "
              + be.size()
              + " bytes lies outside its shard of "
              + shardSize
              + " bytes");
    }
    return new CheckedSource(
        info,
        shards.get((int) be.shard()),
        shardPaths.get((int) be.shard()),
        be.offset(),
        be.crc32c(),
        header.bigEndian());
  }
}
