package dev.modelseal.formats.keras;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.TensorStream;
import dev.modelseal.formats.UnsupportedModelException;
import dev.modelseal.formats.internal.RegionSource;
import dev.modelseal.formats.internal.Streams;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Keras weights of one HDF5 file, found in a window of a file channel (a whole {@code .h5}
 * file, or the {@code model.weights.h5} member of a {@code .keras} zip).
 *
 * <p>Layouts, tried in this order: a Keras 2 weights-only file ({@code layer_names} at the root), a
 * Keras 2 full model ({@code model_weights} group with {@code layer_names}), a Keras 3 weights file
 * ({@code layers} or {@code vars} group at the root), else a plain HDF5 file of datasets (h5py
 * {@code create_dataset}). Keras 2 tensors are exactly the datasets listed by each layer's {@code
 * weight_names}, named {@code <layer>/<weight name>}; Keras 3 tensors are all datasets outside the
 * top-level {@code optimizer} group, and plain HDF5 tensors all datasets, named by their path
 * without the leading slash. HDF5 links to other files and soft links are refused, never followed.
 * Chunked datasets are read through jhdf only after their stored size and chunk size are checked
 * against {@link ReadLimits#inMemoryTensorBytes()}, so jhdf never allocates a size the file claims
 * beyond that limit for their data.
 */
final class KerasHdf5 {
  /** Longest attribute (layer and weight name lists, version strings) read into memory. */
  static final long MAX_ATTRIBUTE_BYTES = 64L << 20;

  private static final int MAX_DEPTH = 64;

  private final Path file;
  private final FileChannel channel;
  private final long base;
  private final long size;
  private final ReadLimits limits;
  private final HdfFile hdf;
  private final long userBlock;
  private final List<TensorSource> tensors = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private int visited;
  private long softLinks;

  private KerasHdf5(
      Path file, FileChannel channel, long base, long size, ReadLimits limits, HdfFile hdf) {
    this.file = file;
    this.channel = channel;
    this.base = base;
    this.size = size;
    this.limits = limits;
    this.hdf = hdf;
    this.userBlock = hdf.getUserBlockSize();
  }

  /** What was read; {@code hdf} must stay open while the tensors are used. */
  record Result(List<TensorSource> tensors, Map<String, String> metadata, HdfFile hdf) {
    /** Closes the jhdf file (not the caller's channel). */
    Closeable closer() {
      return hdf::close;
    }
  }

  /**
   * Opens the HDF5 file in {@code [base, base + size)} of {@code channel} and collects its Keras
   * tensors. On failure nothing stays open but {@code channel} (the caller's).
   */
  static Result read(Path file, FileChannel channel, long base, long size, ReadLimits limits)
      throws ModelsealException {
    long superblock;
    try {
      superblock = Hdf5Signature.find(channel, base, size);
    } catch (IOException e) {
      throw new MalformedModelException(file, "HDF5 signature unreadable: " + e.getMessage(), e);
    }
    if (superblock < 0) {
      throw new MalformedModelException(file, "no HDF5 signature at offset 0, 512, 1024, ...");
    }
    HdfFile hdf =
        Jhdf.call(
            file,
            "HDF5 superblock",
            () -> new HdfFile(new ChannelWindow(channel, base, size), file.toUri()));
    try {
      KerasHdf5 k = new KerasHdf5(file, channel, base, size, limits, hdf);
      Jhdf.call(
          file,
          "HDF5 structure",
          () -> {
            k.collect();
            return null;
          });
      return new Result(k.tensors, k.metadata, hdf);
    } catch (ModelsealException | RuntimeException | Error e) {
      hdf.close();
      throw e;
    }
  }

  /** The root attribute {@code name} as text, or null; for {@link KerasModelConfig}. */
  /** The root string attributes {@code names} the file has, read with one opening of it. */
  static Map<String, String> rootTexts(
      Path file, FileChannel channel, long base, long size, List<String> names)
      throws ModelsealException {
    try {
      if (Hdf5Signature.find(channel, base, size) < 0) {
        throw new MalformedModelException(file, "no HDF5 signature at offset 0, 512, 1024, ...");
      }
    } catch (IOException e) {
      throw new MalformedModelException(file, "HDF5 signature unreadable: " + e.getMessage(), e);
    }
    return Jhdf.call(
        file,
        names.size() == 1
            ? "HDF5 attribute " + Quoted.of(names.get(0))
            : "HDF5 attributes " + names,
        () -> {
          try (HdfFile hdf = new HdfFile(new ChannelWindow(channel, base, size), file.toUri())) {
            Map<String, String> out = new HashMap<>();
            for (String name : names) {
              String v = Jhdf.string(file, hdf, name, MAX_ATTRIBUTE_BYTES);
              if (v != null) {
                out.put(name, v);
              }
            }
            return out;
          }
        });
  }

  private void collect() throws ModelsealException {
    for (String key : new String[] {"keras_version", "backend"}) {
      String v = Jhdf.string(file, hdf, key, MAX_ATTRIBUTE_BYTES);
      if (v != null) {
        metadata.put("keras." + key, v);
      }
    }
    List<String> layers = Jhdf.strings(file, hdf, "layer_names", MAX_ATTRIBUTE_BYTES);
    if (layers != null) {
      metadata.put("keras.layout", "keras2-weights");
      keras2(hdf, layers);
      return;
    }
    Node mw = hdf.getChildren().get("model_weights");
    if (mw instanceof Group g && !mw.isLink()) {
      List<String> l = Jhdf.strings(file, g, "layer_names", MAX_ATTRIBUTE_BYTES);
      if (l == null) {
        throw new MalformedModelException(file, "group 'model_weights' has no layer_names");
      }
      metadata.put("keras.layout", "keras2-model");
      keras2(g, l);
      return;
    }
    Map<String, Node> top = hdf.getChildren();
    if (top.get("layers") instanceof Group || top.get("vars") instanceof Group) {
      metadata.put("keras.layout", "keras3-weights");
      for (Node n : top.values()) {
        if (!n.getName().equals("optimizer")) {
          walk(n, 1);
        }
      }
      return;
    }
    // Not Keras-shaped: a plain HDF5 file of datasets (h5py create_dataset), every dataset a
    // tensor named by its path.
    metadata.put("keras.layout", "hdf5-datasets");
    for (Node n : top.values()) {
      walk(n, 1);
    }
    if (softLinks > 0) {
      metadata.put("hdf5.soft_links", Long.toString(softLinks));
    }
    if (tensors.isEmpty()) {
      throw new UnsupportedModelException(
          file,
          "HDF5 file holds no datasets (and no Keras layer_names, model_weights or layers group)");
    }
  }

  private void keras2(Group group, List<String> layerNames) throws ModelsealException {
    for (String layer : layerNames) {
      Node ln = child(group, layer, layer);
      if (!(ln instanceof Group lg)) {
        throw new MalformedModelException(
            file, "layer " + Quoted.of(layer) + " is not an HDF5 group");
      }
      List<String> weights = Jhdf.strings(file, lg, "weight_names", MAX_ATTRIBUTE_BYTES);
      if (weights == null) {
        throw new MalformedModelException(
            file, "layer " + Quoted.of(layer) + " has no weight_names");
      }
      for (String w : weights) {
        String name = layer + "/" + w;
        Node n = lg;
        for (String part : w.split("/", -1)) {
          if (!(n instanceof Group g)) {
            throw new MalformedModelException(
                file, "weight " + Quoted.of(name) + " is not in a group");
          }
          n = child(g, part, name);
        }
        if (!(n instanceof Dataset d)) {
          throw new MalformedModelException(
              file, "weight " + Quoted.of(name) + " is not a dataset");
        }
        add(name, d);
      }
    }
  }

  private Node child(Group g, String part, String name) throws ModelsealException {
    Node n = part.isEmpty() ? null : g.getChildren().get(part);
    if (n == null) {
      throw new MalformedModelException(file, "weight or layer " + Quoted.of(name) + " is missing");
    }
    if (n.isLink()) {
      throw new UnsupportedModelException(
          file, Quoted.of(name) + " is an HDF5 link (not followed)");
    }
    return n;
  }

  private void walk(Node n, int depth) throws ModelsealException {
    LimitExceededException.check(file, "HDF5 object count", ++visited, 4L * limits.tensors());
    if (n instanceof io.jhdf.links.SoftLink) {
      // an alias of an object of this file, which the walk meets under its own path: not followed
      softLinks++;
      return;
    }
    if (n.isLink()) {
      throw new UnsupportedModelException(
          file,
          Quoted.of(relative(n))
              + " is an HDF5 external link (data in another file; not followed)");
    }
    if (n instanceof Dataset d) {
      add(relative(n), d);
    } else if (n instanceof Group g) {
      LimitExceededException.check(file, "HDF5 group depth", depth, MAX_DEPTH);
      for (Node c : g.getChildren().values()) {
        walk(c, depth + 1);
      }
    }
  }

  private static String relative(Node n) {
    String p = n.getPath();
    return p.startsWith("/") ? p.substring(1) : p;
  }

  private void add(String name, Dataset d) throws ModelsealException {
    LimitExceededException.check(file, "tensor count", tensors.size() + 1L, limits.tensors());
    Hdf5Types.Mapped m = Hdf5Types.map(d.getDataType());
    if (m == null) {
      throw new UnsupportedModelException(
          file,
          "dataset "
              + Quoted.of(name)
              + " has HDF5 type "
              + Hdf5Types.describe(d.getDataType())
              + ", not a numeric or bool type");
    }
    long[] shape = d.isScalar() ? new long[0] : d.getDimensionsAsLong();
    TensorInfo info;
    try {
      info = TensorInfo.create(name, m.dtype(), shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(file, "dataset " + Quoted.of(name) + ": " + e.getMessage());
    }
    if (info.byteLength() == 0) {
      tensors.add(new MemorySource(info, ByteBuffer.allocate(0)));
      return;
    }
    if (d instanceof ContiguousDataset c) {
      long address = c.getDataAddress();
      if (address == -1) {
        // HDF5's undefined address: no storage was ever allocated (a null dataspace, or a
        // dataset created without data, which HDF5 reads as its fill value)
        throw new UnsupportedModelException(
            file,
            "dataset "
                + Quoted.of(name)
                + " has no stored data (a null dataspace, or never written: HDF5 would return"
                + " its fill value, which modelseal does not read)");
      }
      long start = userBlock + address;
      if (address < 0 || start < 0 || start > size || info.byteLength() > size - start) {
        throw new MalformedModelException(
            file,
            "dataset "
                + Quoted.of(name)
                + " data ("
                + info.byteLength()
                + " bytes at "
                + Long.toUnsignedString(address)
                + ") lies outside the file");
      }
      tensors.add(new RegionSource(info, channel, file, base + start, m.bigEndian()));
      return;
    }
    LimitExceededException.check(
        file,
        "dataset " + Quoted.of(name) + " (chunked or compact, read into memory) size",
        info.byteLength(),
        limits.inMemoryTensorBytes());
    if (!(d instanceof DatasetBase db)) {
      throw new UnsupportedModelException(
          file, "dataset " + Quoted.of(name) + " has an unknown layout");
    }
    if (d instanceof ChunkedDatasetBase cd) {
      boundChunks(name, cd, m.dtype().bits() / 8);
    }
    tensors.add(new BufferedSource(info, db, m.bigEndian()));
  }

  /**
   * Checks, before jhdf reads any chunk, that one decompressed chunk (from the chunk dimensions)
   * fits the in-memory limit and the chunks' stored bytes (from the chunk index) twice that: jhdf
   * allocates both from sizes in the file.
   */
  private void boundChunks(String name, ChunkedDatasetBase cd, int width)
      throws ModelsealException {
    long chunk = width;
    for (int c : cd.getChunkDimensions()) {
      if (c <= 0) {
        throw new MalformedModelException(
            file, "dataset " + Quoted.of(name) + " has a chunk dimension " + c);
      }
      chunk = Math.multiplyHigh(chunk, c) != 0 ? Long.MAX_VALUE : chunk * c;
      chunk = Math.min(chunk, Long.MAX_VALUE / 2);
    }
    LimitExceededException.check(
        file, "dataset " + Quoted.of(name) + " chunk size", chunk, limits.inMemoryTensorBytes());
    // Compression may expand small or random chunks a little: twice the limit, plus a margin.
    LimitExceededException.check(
        file,
        "dataset " + Quoted.of(name) + " stored chunk bytes",
        cd.getStorageInBytes(),
        2 * limits.inMemoryTensorBytes() + 4096);
  }

  /** A tensor read whole through jhdf (chunked, possibly compressed, or compact datasets). */
  private final class BufferedSource implements TensorSource {
    private final TensorInfo info;
    private final DatasetBase dataset;
    private final boolean bigEndian;

    BufferedSource(TensorInfo info, DatasetBase dataset, boolean bigEndian) {
      this.info = info;
      this.dataset = dataset;
      this.bigEndian = bigEndian;
    }

    @Override
    public TensorInfo info() {
      return info;
    }

    @Override
    public TensorStream open() throws ModelsealException {
      ByteBuffer copy =
          Jhdf.call(
              file,
              "dataset " + Quoted.of(info.name()),
              () -> {
                ByteBuffer raw;
                synchronized (hdf) {
                  raw = dataset.getDataBuffer();
                }
                if (raw.remaining() != info.byteLength()) {
                  throw new MalformedModelException(
                      file,
                      "dataset "
                          + Quoted.of(info.name())
                          + " holds "
                          + raw.remaining()
                          + " bytes, not "
                          + info.byteLength());
                }
                ByteBuffer b = ByteBuffer.allocate(raw.remaining());
                b.put(raw.duplicate()).flip();
                return b;
              });
      return Streams.canonical(Streams.memory(copy), info, file, bigEndian);
    }
  }

  /** A tensor whose (empty) bytes are in memory. */
  private record MemorySource(TensorInfo info, ByteBuffer data) implements TensorSource {
    @Override
    public TensorStream open() {
      return Streams.memory(data);
    }
  }
}
