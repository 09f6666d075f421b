package dev.modelseal.formats.orbax;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.Format;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.ReadLimits;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.flax.FlaxReader;
import dev.modelseal.formats.internal.Utf8;
import dev.modelseal.internal.StrictJson;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an Orbax checkpoint directory: the leaves that {@code _METADATA}'s {@code tree_metadata}
 * lists as arrays ({@code np.ndarray}, {@code jax.Array}), each under the key prefix orbax names
 * after its pytree keys joined with {@code .}, holding the array's zarr metadata and its one chunk.
 * Tensor names are the pytree keys joined with {@code /} ({@code params/Dense_0/kernel}), as the
 * Flax reader names them.
 *
 * <p>Guarantee: {@code _METADATA} and every array's metadata are strict JSON within {@link
 * #jsonLimit}; every array directory is a plain name inside the checkpoint (no separators, no
 * {@code ..}, no links); each shard's index lies inside its file, passes its CRC32C and points
 * inside the file; the decompressed chunk is exactly the canonical size (checked while it streams).
 * Python scalars ({@code value_type} {@code scalar}) are not tensors and are counted in the
 * metadata {@code orbax.other_values}. Both layouts orbax writes are read: one directory per array,
 * or (orbax's default) the keys of the checkpoint's OCDBT store ({@link OcdbtDatabase}); both with
 * zarr v3 ({@code zarr.json}, {@code use_zarr3=True}) or zarr v2 ({@code .zarray}) metadata, as
 * {@code _METADATA}'s {@code use_zarr3} says.
 */
public final class OrbaxReader {
  private static final Set<String> ARRAY_TYPES = Set.of("np.ndarray", "jax.Array");

  private OrbaxReader() {}

  /** Opens the checkpoint directory {@code dir}. */
  public static TensorModel open(Path dir, ReadLimits limits) throws ModelsealException {
    Path metaFile = dir.resolve("_METADATA");
    JsonNode meta = json(metaFile, limits);
    boolean zarr3 = meta.path("use_zarr3").asBoolean(false);
    ArrayStore store;
    Map<String, String> md = new LinkedHashMap<>();
    if (Files.isRegularFile(dir.resolve("manifest.ocdbt"), LinkOption.NOFOLLOW_LINKS)) {
      OcdbtDatabase db = OcdbtDatabase.open(dir, limits);
      store = ArrayStore.ocdbt(db);
      md.put("orbax.layout", zarr3 ? "ocdbt+zarr3" : "ocdbt+zarr2");
      md.put("orbax.ocdbt_keys", Integer.toString(db.size()));
      md.put("orbax.ocdbt_generation", Long.toString(db.generation()));
    } else if (meta.path("use_ocdbt").asBoolean(false)) {
      throw new MalformedModelException(
          dir,
          "_METADATA says the checkpoint is in the OCDBT layout but manifest.ocdbt is missing"
              + " (an unfinished save?)");
    } else {
      store = ArrayStore.directory(dir);
      md.put("orbax.layout", zarr3 ? "zarr3" : "zarr2");
    }
    JsonNode tree = meta.get("tree_metadata");
    if (tree == null || !tree.isObject()) {
      throw new MalformedModelException(metaFile, "_METADATA has no tree_metadata object");
    }
    List<TensorSource> tensors = new ArrayList<>();
    int others = 0;
    Aggregate aggregate = null;
    try {
      for (Map.Entry<String, JsonNode> e : tree.properties()) {
        JsonNode leaf = e.getValue();
        JsonNode keys = leaf.get("key_metadata");
        String type = leaf.path("value_metadata").path("value_type").asText("");
        if (keys == null || !keys.isArray() || keys.isEmpty()) {
          throw new MalformedModelException(metaFile, "a tree_metadata entry has no key_metadata");
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode k : keys) {
          JsonNode key = k.get("key");
          if (key == null || !key.isTextual()) {
            throw new MalformedModelException(metaFile, "a key_metadata key is not a string");
          }
          parts.add(key.asText());
        }
        if (!ARRAY_TYPES.contains(type)) {
          others++;
          continue;
        }
        LimitExceededException.check(
            dir, "the number of tensors", tensors.size() + 1L, limits.tensors());
        String name = String.join("/", parts);
        if (leaf.path("value_metadata").path("skip_deserialize").asBoolean(false)) {
          if (aggregate == null) {
            aggregate = Aggregate.open(dir, limits);
          }
          tensors.add(aggregate.tensor(name));
        } else {
          tensors.add(array(store, zarr3, name, String.join(".", parts), limits));
        }
      }
      md.put("orbax.other_values", Integer.toString(others));
      if (aggregate != null) {
        md.put("orbax.aggregate_tensors", Integer.toString(aggregate.used));
      }
      return TensorModel.of(
          dir,
          Format.ORBAX,
          tensors,
          md,
          aggregate == null ? List.<Closeable>of() : List.<Closeable>of(aggregate.model::close));
    } catch (ModelsealException | RuntimeException e) {
      if (aggregate != null) {
        aggregate.model.close();
      }
      throw e;
    }
  }

  /**
   * Orbax's aggregate file {@code checkpoint} (a Flax msgpack tree, read by {@link FlaxReader}):
   * where the leaves {@code _METADATA} marks {@code skip_deserialize} are stored (older orbax
   * versions, and {@code PyTreeCheckpointHandler} with aggregation).
   */
  private static final class Aggregate {
    final TensorModel model;
    final Map<String, TensorSource> byName = new HashMap<>();
    int used;

    private Aggregate(TensorModel model) {
      this.model = model;
      for (TensorSource t : model.tensors()) {
        byName.put(t.info().name(), t);
      }
    }

    static Aggregate open(Path dir, ReadLimits limits) throws ModelsealException {
      Path file = dir.resolve("checkpoint");
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new MalformedModelException(
            dir,
            "_METADATA stores leaves in the aggregate file, but 'checkpoint' is missing or not a"
                + " regular file");
      }
      return new Aggregate(FlaxReader.open(file, limits));
    }

    TensorSource tensor(String name) throws MalformedModelException {
      TensorSource t = byName.get(name);
      if (t == null) {
        throw new MalformedModelException(
            model.path(),
            "the aggregate file holds no array " + Quoted.of(name) + " (_METADATA lists it)");
      }
      used++;
      return t;
    }
  }

  private static TensorSource array(
      ArrayStore store, boolean zarr3, String name, String dirName, ReadLimits limits)
      throws ModelsealException {
    Path dir = store.where();
    if (dirName.isEmpty()
        || dirName.equals(".")
        || dirName.equals("..")
        || dirName.indexOf('/') >= 0
        || dirName.indexOf('\\') >= 0
        || dirName.indexOf('\0') >= 0
        || dirName.length() > 255) {
      throw new MalformedModelException(
          dir,
          "the array directory for "
              + Quoted.of(name)
              + " is not a plain name inside the checkpoint");
    }
    String metaKey = dirName + (zarr3 ? "/zarr.json" : "/.zarray");
    StoredValue metaValue =
        store
            .get(metaKey)
            .orElseThrow(
                () ->
                    new MalformedModelException(
                        dir, "the array " + Quoted.of(name) + " has no " + Quoted.of(metaKey)));
    JsonNode zj = json(metaValue, limits);
    String what = Quoted.of(metaKey);
    ZarrArray z =
        zarr3
            ? ZarrArray.parse(zj, metaValue.file(), what)
            : ZarrArray.parseV2(zj, metaValue.file(), what);
    TensorInfo info;
    try {
      info = TensorInfo.create(name, z.dtype, z.shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(metaValue.file(), e.getMessage());
    }
    String chunkKey = dirName + "/" + z.chunkKey;
    StoredValue chunk =
        store
            .get(chunkKey)
            .orElseThrow(
                () ->
                    new MalformedModelException(
                        dir,
                        "the array "
                            + Quoted.of(name)
                            + " has no chunk "
                            + Quoted.of(chunkKey)
                            + " (orbax writes every chunk, even of fill values)"));
    return ChunkSource.open(info, chunk, z);
  }

  /**
   * The largest metadata JSON read: {@link ReadLimits#indexBytes()}, and an eighth of {@link
   * ReadLimits#tableBytes()} (a quarter of the heap), since the parsed tree takes several times the
   * text.
   */
  static long jsonLimit(ReadLimits limits) {
    return Math.min(limits.indexBytes(), Math.max(1 << 20, limits.tableBytes() / 8));
  }

  private static JsonNode json(StoredValue v, ReadLimits limits) throws ModelsealException {
    byte[] bytes = v.readAll(jsonLimit(limits), "the JSON size");
    try {
      Utf8.decode(bytes);
      return StrictJson.parseObject(bytes);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException(v.file(), "not valid JSON: " + e.getMessage());
    }
  }

  private static JsonNode json(Path file, ReadLimits limits) throws ModelsealException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new MalformedModelException(file, "missing, or not a regular file");
    }
    try {
      return json(StoredValue.region(file, 0, Files.size(file)), limits);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }
}
